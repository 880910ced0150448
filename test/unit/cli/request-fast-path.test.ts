import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseFastRequest, runFastRequest } from "../../../src/cli/request-fast-path.js";
import { logFixturePath } from "../../kit/fixture-files.js";
import { runMain, type MainRun } from "../../kit/run-main.js";

const fixture = logFixturePath;

/** The fast path run in-process with captured output, as runMain runs main(). */
async function runFast(argv: string[]): Promise<MainRun> {
  const request = parseFastRequest(argv);
  if (request === undefined) throw new Error(`not a fast-path argv: ${argv.join(" ")}`);
  const capture = () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
  };
  const [stdout, stderr] = [capture(), capture()];
  const stdin = Object.assign(Readable.from([]), { isTTY: true });
  const io = { stdin, stdout: stdout.stream, stderr: stderr.stream, env: {} };
  const code = await runFastRequest(request, io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("parseFastRequest", () => {
  it("reads the usual spellings of build-req and launch-req", () => {
    expect(
      parseFastRequest(["build-req", "--log", "a", "--log=b", "--app", "x", "--list"]),
    ).toEqual({
      command: "build-req",
      args: { log: ["a", "b"], app: "x", list: true, all: false },
      verbose: false,
      json: false,
    });
    expect(parseFastRequest(["launch-req", "-v", "--all", "--json", "--app=y"])).toEqual({
      command: "launch-req",
      args: { app: "y", list: false, all: true, json: true },
      verbose: true,
      json: true,
    });
  });

  it.each([
    [["restage", "--log", "a"]],
    [["build-req", "--help"]],
    [["build-req", "-h"]],
    [["build-req", "task.json"]],
    [["build-req", "--log"]],
    [["build-req", "--log", "--app", "x"]],
    [["build-req", "--log="]],
    [["build-req", "--log", "-"]],
    [["build-req", "--app", "x", "--app", "y"]],
    [["build-req", "--list", "--all"]],
    [["build-req", "--list", "--list"]],
    [["build-req", "--no-list"]],
    [["build-req", "--list=true"]],
    [["build-req", "--lst"]],
    [["build-req", "--", "--log", "a"]],
    [["build-req", "-vv"]],
    [["build-req", "--version"]],
  ])("leaves %j to the parser", (argv) => {
    expect(parseFastRequest(argv)).toBeUndefined();
  });
});

describe("runFastRequest", () => {
  it.each([
    [["build-req", "--log", fixture("stager-bbs-2016.log")]],
    [["build-req", `--log=${fixture("stager-rfc3339-2018.log")}`, "--list", "--json"]],
    [["build-req", "--log", fixture("stager-rfc3339-2018.log"), "--list"]],
    [["build-req", "--log", fixture("stager-redacted.log"), "--all", "-v"]],
    [["launch-req", "--log", fixture("nsync-listener-2016.log"), "--app", "go-hello"]],
    [["build-req", "--log", fixture("bad/partial-and-text.log")]],
    [["build-req", "--log", fixture("bad/partial-and-text.log"), "--verbose"]],
    [["build-req", "--log", fixture("stager-redacted.log")]],
    [["build-req", "--log", fixture("does-not-exist.log")]],
    [["launch-req", "--log", fixture("stager-bbs-2016.log"), "--all"]],
  ])("prints and exits as main() does: %j", async (argv) => {
    const [fast, parsed] = [await runFast(argv), await runMain(argv)];
    // --verbose error output carries stack traces, whose frames differ by caller.
    const firstLines = (run: MainRun) => ({ ...run, stderr: run.stderr.split("\n    at ")[0] });
    expect(firstLines(fast)).toEqual(firstLines(parsed));
  });
});
