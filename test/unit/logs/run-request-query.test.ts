import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NoInputError } from "../../../src/errors.js";
import { runRequestQuery, type RequestQuery } from "../../../src/logs/run-request-query.js";
import { logFixturePath } from "../../kit/fixture-files.js";

const fixture = logFixturePath;

function recorder() {
  const sink = {
    results: [] as string[],
    warnings: [] as string[],
    result: (text: string) => sink.results.push(text),
    warn: (text: string) => sink.warnings.push(text),
    debug: () => undefined,
  };
  return sink;
}

const query = (overrides: Partial<RequestQuery>): RequestQuery => ({
  family: "task",
  mode: "latest",
  files: [],
  json: false,
  header: false,
  defaultPaths: ["/nonexistent/restager-test/stager.stdout.log"],
  ...overrides,
});

describe("runRequestQuery --list", () => {
  it("prints one tab-separated row per request: time, kind, app, guid, stack, source:line, problem", async () => {
    const sink = recorder();
    const files = [fixture("stager-bbs-2016.log"), fixture("stager-bbs-2016.log.1.gz")];
    await runRequestQuery(query({ mode: "list", files }), sink);
    const [file, gz] = files;
    expect(sink.results).toEqual([
      `2016-06-08T18:20:00.123456001Z\ttask\tnode-env\t273b4ea1-c0b9-4a7c-bd3b-5275150cad19-3f1c9e2a7b6d4c8e9a0b1c2d3e4f5a6b\tcflinuxfs2\t${gz}:4\t-`,
      `2016-06-09T18:05:32.123456717Z\ttask\tnode-env\t273b4ea1-c0b9-4a7c-bd3b-5275150cad19-7617e252827a4676a1fa71ae123ded3b\tcflinuxfs2\t${file}:9\t-`,
      `2016-06-09T18:13:20.004107952Z\tstaging-request\tstatic-site\t5c2e8f14-7a3b-4d6e-9f10-2b8c4d6e8a01\tcflinuxfs2\t${file}:11\tCC message, not replayable`,
      `2016-06-09T18:30:00.500001192Z\ttask\tgo-hello\t9a6f3c1e-2b7d-4c58-8e0f-6d4b1a2c3e5f-0c5e7a9b1d3f4e6a8b2c4d6e8f0a1b2c\tcflinuxfs2\t${file}:17\t-`,
      `2016-06-09T19:19:59.987654321Z\ttask\tnode-env\t273b4ea1-c0b9-4a7c-bd3b-5275150cad19-b41d6f0e92c34a7f8e15d2c6a9b0e377\tcflinuxfs2\t${file}:24\t-`,
    ]);
  });

  it("adds a header on request and marks redacted requests", async () => {
    const sink = recorder();
    await runRequestQuery(
      query({ mode: "list", header: true, files: [fixture("stager-redacted.log")] }),
      sink,
    );
    expect(sink.results[0]).toBe("TIME\tKIND\tAPP\tGUID\tSTACK\tSOURCE\tPROBLEM");
    expect(sink.results[1]?.endsWith("\t-")).toBe(true);
    expect(sink.results[2]).toMatch(/\tredacted at action\.timeout\..*\.env\[2\]\.value$/);
  });

  it("prints a JSON array with --json, filtered by --app", async () => {
    const sink = recorder();
    await runRequestQuery(
      query({
        family: "lrp",
        mode: "list",
        json: true,
        app: "go-hello",
        files: [fixture("nsync-listener-2016.log")],
      }),
      sink,
    );
    expect(sink.results).toHaveLength(1);
    expect(JSON.parse(sink.results[0] ?? "")).toEqual([
      {
        time: "2016-06-09T18:50:00.154321987Z",
        kind: "lrp",
        appName: "go-hello",
        appId: "9a6f3c1e-2b7d-4c58-8e0f-6d4b1a2c3e5f",
        guid: "9a6f3c1e-2b7d-4c58-8e0f-6d4b1a2c3e5f-7c3e5a1f-2d4b-4f6e-8a0c-9e1b3d5f7a2c",
        stack: "cflinuxfs2",
        source: fixture("nsync-listener-2016.log"),
        line: 7,
        message: "nsync-listener.message-builder.desired-app-request",
      },
    ]);
  });

  it("fails with NoInputError when nothing matches", async () => {
    await expect(
      runRequestQuery(
        query({ mode: "list", app: "nope", files: [fixture("stager-bbs-2016.log")] }),
        recorder(),
      ),
    ).rejects.toBeInstanceOf(NoInputError);
  });
});

describe("runRequestQuery --all", () => {
  it("prints every replayable match as one raw JSON line, in input order", async () => {
    const sink = recorder();
    await runRequestQuery(
      query({ mode: "all", app: "node-env", files: [fixture("stager-bbs-2016.log")] }),
      sink,
    );
    expect(sink.results).toHaveLength(2);
    expect(
      sink.results.map(
        (r) => (JSON.parse(r) as { completion_callback_url: string }).completion_callback_url,
      ),
    ).toEqual([
      expect.stringContaining("7617e252827a4676a1fa71ae123ded3b"),
      expect.stringContaining("b41d6f0e92c34a7f8e15d2c6a9b0e377"),
    ]);
    expect(sink.results.every((r) => !r.includes("\n"))).toBe(true);
  });

  it("skips redacted requests with a warning", async () => {
    const sink = recorder();
    await runRequestQuery(query({ mode: "all", files: [fixture("stager-redacted.log")] }), sink);
    expect(sink.results).toHaveLength(1);
    expect(sink.warnings).toEqual([
      expect.stringMatching(/^skipped: .*stager-redacted\.log:3 cannot be replayed/),
    ]);
  });

  it("fails with the refusal when every match was skipped", async () => {
    await expect(
      runRequestQuery(query({ mode: "all", files: [fixture("stager-truncated.log")] }), recorder()),
    ).rejects.toThrow(/truncating sink/);
  });
});

describe("runRequestQuery inputs", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "restager-query-"));
    await copyFile(fixture("stager-bbs-2016.log"), join(dir, "stager.stdout.log"));
    await copyFile(fixture("stager-bbs-2016.log.1.gz"), join(dir, "stager.stdout.log.1.gz"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads piped stdin when no --log is given", async () => {
    const sink = recorder();
    const stdin = Readable.from([
      await import("node:fs").then((fs) => fs.readFileSync(fixture("nsync-rfc3339.log"))),
    ]);
    await runRequestQuery(query({ family: "lrp", mode: "list", stdin }), sink);
    expect(sink.results.map((r) => r.split("\t")[5])).toEqual(["stdin:2", "stdin:3"]);
  });

  it("falls back to the default paths that exist, with their rotated siblings oldest first", async () => {
    const sink = recorder();
    const stdin = Object.assign(Readable.from([]), { isTTY: true });
    const defaultPaths = ["/nonexistent/stager.log", join(dir, "stager.stdout.log")];
    await runRequestQuery(query({ mode: "list", app: "node-env", stdin, defaultPaths }), sink);
    expect(sink.results.map((r) => r.split("\t")[5])).toEqual([
      `${join(dir, "stager.stdout.log.1.gz")}:4`,
      `${join(dir, "stager.stdout.log")}:9`,
      `${join(dir, "stager.stdout.log")}:24`,
    ]);
  });

  it("names the paths tried when there is nothing to read", async () => {
    const stdin = Object.assign(Readable.from([]), { isTTY: true });
    const error = await runRequestQuery(query({ stdin }), recorder()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoInputError);
    expect((error as NoInputError).hint).toContain("/nonexistent/restager-test/stager.stdout.log");
    expect((error as NoInputError).hint).toContain("build_req --log FILE");
    expect((error as NoInputError).hint).toContain("cat FILE | build_req");
  });

  it("fails clearly for a --log file that does not exist", async () => {
    await expect(
      runRequestQuery(query({ files: [join(dir, "missing.log")] }), recorder()),
    ).rejects.toThrow(`Log file ${join(dir, "missing.log")} does not exist`);
  });
});
