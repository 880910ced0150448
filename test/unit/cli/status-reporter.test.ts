import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createOutput } from "../../../src/cli/output.js";
import { createStatusLine } from "../../../src/cli/status-line.js";
import { statusReporter } from "../../../src/cli/status-reporter.js";

async function reporter(verbose: boolean) {
  const stderr = new PassThrough();
  const written: string[] = [];
  stderr.on("data", (chunk: Buffer) => written.push(chunk.toString()));
  const io = { stdin: process.stdin, stdout: new PassThrough(), stderr, env: {} };
  const output = createOutput({ ...io, verbose, json: false });
  const progress = statusReporter(output, await createStatusLine(stderr), () => 1234.4);
  return { progress, written };
}

describe("statusReporter", () => {
  it("tells each phase with the time since start as a debug line with --verbose", async () => {
    const { progress, written } = await reporter(true);
    progress.phase("my-app: creating container");
    expect(written.join("")).toBe(
      '[debug] phase {"text":"my-app: creating container","elapsed_ms":1234}\n',
    );
  });

  it("prints no phase line without --verbose (a terminal shows it on the status line)", async () => {
    const { progress, written } = await reporter(false);
    progress.phase("my-app: creating container");
    expect(written.join("")).toBe("");
  });
});
