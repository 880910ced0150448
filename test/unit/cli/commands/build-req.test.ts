import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runMain } from "../../../kit/run-main.js";
import { logFixturePath } from "../../../kit/fixture-files.js";

const fixture = logFixturePath;

const run = (argv: string[]) => runMain(argv);

describe("build-req and launch-req on the command line", () => {
  it("prints exactly the logged payload of the latest staging task, and exits 0", async () => {
    const file = fixture("stager-bbs-2016.log");
    const { code, stdout, stderr } = await run(["build-req", "--log", file]);
    const line = readFileSync(file, "utf8").split("\n")[23] ?? "";
    const payload = line.slice(line.indexOf('"taskDefinition":') + '"taskDefinition":'.length, -2);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(`${payload}\n`);
  });

  it("selects by --app and reads several --log files", async () => {
    const { code, stdout } = await run([
      "launch-req",
      "--log",
      fixture("nsync-listener-2016.log"),
      "--log",
      fixture("nsync-rfc3339.log"),
      "--app",
      "go-hello",
    ]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { start_timeout_ms: number }).start_timeout_ms).toBe(60000);
  });

  it("lists requests as JSON with --list --json", async () => {
    const { code, stdout } = await run([
      "build-req",
      "--log",
      fixture("stager-rfc3339-2018.log"),
      "--list",
      "--json",
    ]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { appName: string }[]).map((r) => r.appName)).toEqual([
      "go-hello",
      "node-env",
    ]);
  });

  it("exits 66 with a one-line error and a hint, no stack trace, when nothing is found", async () => {
    const { code, stdout, stderr } = await run([
      "build-req",
      "--log",
      fixture("bad/partial-and-text.log"),
    ]);
    expect(code).toBe(66);
    expect(stdout).toBe("");
    const lines = stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^Error: No staging task request found in .*partial-and-text\.log \(5 lines\)/,
    );
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^Hint: Is the stager patched/)]);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("exits 65 naming file:line when the latest request was redacted", async () => {
    const { code, stderr } = await run(["build-req", "--log", fixture("stager-redacted.log")]);
    expect(code).toBe(65);
    expect(stderr).toMatch(
      /^Error: The staging task at .*stager-redacted\.log:3 cannot be replayed/,
    );
  });

  it("rejects --list together with --all as a usage error", async () => {
    const { code, stderr } = await run([
      "build-req",
      "--list",
      "--all",
      "--log",
      fixture("stager-bbs-2016.log"),
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/mutually exclusive/);
  });
});
