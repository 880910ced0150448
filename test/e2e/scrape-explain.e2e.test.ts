/**
 * The scraper piped into `explain`, for every fixture log (fixtures/logs/README.md):
 * `build-req --log F | restager explain` for stager logs, `launch-req --log F | restager explain`
 * for nsync logs. The plan must be printed and no credential, signed query or private key may
 * reach the terminal. Logs whose latest request was mangled by lager must fail clearly instead.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "../kit/fixture-blobs.js";
import { pipeCli, runCli, type Bin } from "../kit/e2e/cli.js";
import {
  expectExit,
  expectNoSecrets,
  expectNoStackTrace,
  urlSecrets,
} from "../kit/e2e/expectations.js";

const logs = join(fixturesDir, "logs");

const cases: { file: string; scraper: Bin; plan: string }[] = [
  ...[
    "stager-bbs-2016.log",
    "stager-bbs-2016.log.1.gz",
    "stager-receptor-2015.log",
    "stager-rfc3339-2018.log",
    "stager-syslog.log",
  ].map((file) => ({ file, scraper: "build-req" as const, plan: "run /tmp/lifecycle/builder" })),
  ...["nsync-bulker-2015.log", "nsync-listener-2016.log", "nsync-rfc3339.log"].map((file) => ({
    file,
    scraper: "launch-req" as const,
    plan: "run /tmp/lifecycle/launcher",
  })),
];

describe("scraper | explain", () => {
  for (const { file, scraper, plan } of cases) {
    it(`${scraper} --log ${file} | restager explain`, async () => {
      const { from, to } = await pipeCli(
        { bin: scraper, args: ["--log", join(logs, file)] },
        { bin: "restager", args: ["explain"] },
      );
      expectExit(from, 0);
      expectExit(to, 0);
      expect(to.stdout).toContain(plan);
      const request: unknown = JSON.parse(from.stdout);
      const secrets = requestSecrets(request);
      // The 2015 bulker's request carries neither credentials, signed URLs nor an SSH key.
      if (file !== "nsync-bulker-2015.log") expect(secrets.length).toBeGreaterThan(0);
      expectNoSecrets(to, secrets);
      expectNoSecrets({ ...from, stdout: "" }, secrets);
    });
  }

  for (const [file, sink] of [
    ["stager-redacted.log", "redacting"],
    ["stager-truncated.log", "truncating"],
  ] as const) {
    it(`build-req refuses the mangled latest task in ${file} (exit 65)`, async () => {
      const run = await runCli("build-req", ["--log", join(logs, file)]);
      expectExit(run, 65);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(new RegExp(`^Error: .*${file}:\\d+ cannot be replayed`, "m"));
      expect(run.stderr).toContain(`lager's ${sink} sink`);
      expect(run.stderr).toMatch(/^Hint: Re-capture the log .*cfdot/m);
      expectNoStackTrace(run);
    });
  }

  it("an earlier, intact task of the redacted log can still be explained (--app <guid>)", async () => {
    const listing = await runCli("build-req", [
      "--log",
      join(logs, "stager-redacted.log"),
      "--list",
    ]);
    expectExit(listing, 0);
    const intact = listing.stdout.split("\n").find((line) => line.endsWith("\t-"));
    const stagingGuid = intact?.split("\t")[3];
    expect(stagingGuid).toMatch(/^[0-9a-f-]{36}-[0-9a-f]{32}$/);
    const { from, to } = await pipeCli(
      {
        bin: "build-req",
        args: ["--log", join(logs, "stager-redacted.log"), "--app", stagingGuid ?? ""],
      },
      { bin: "restager", args: ["explain"] },
    );
    expectExit(from, 0);
    expectExit(to, 0);
    expect(to.stdout).toContain(`Task ${stagingGuid ?? ""}`);
    expectNoSecrets(to, requestSecrets(JSON.parse(from.stdout)));
  });
});

/** URL passwords, and the SSH host's private key (its first base64 line) of LRP requests. */
function requestSecrets(request: unknown): string[] {
  const secrets = urlSecrets(request);
  const key = /-----BEGIN [A-Z ]*PRIVATE KEY-----\\n([A-Za-z0-9+/=]{20,})/.exec(
    JSON.stringify(request),
  );
  if (key?.[1] !== undefined) secrets.push("PRIVATE KEY", key[1]);
  return secrets;
}
