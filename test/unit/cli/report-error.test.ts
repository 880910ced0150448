import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { UnavailableError } from "../../../src/errors.js";
import { createOutput } from "../../../src/cli/output.js";
import { reportError } from "../../../src/cli/report-error.js";

function capture(verbose: boolean) {
  const stderr = new PassThrough();
  const chunks: string[] = [];
  stderr.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  const output = createOutput({
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr,
    env: {},
    verbose,
    json: false,
  });
  return { output, text: () => chunks.join("") };
}

describe("reportError", () => {
  const inner = new TypeError("Invalid URL: http://user:pa55word@host/x?signature=s1gn");
  const error = new UnavailableError("Download failed", { hint: "Retry", cause: inner });

  it("prints the title and the hint, and the exit code, without the cause", () => {
    const { output, text } = capture(false);
    expect(reportError(error, output)).toBe(69);
    expect(text()).toBe("Error: Download failed\nHint: Retry\n");
  });

  it("adds the causes with --verbose, their URLs redacted", () => {
    const { output, text } = capture(true);
    reportError(error, output);
    expect(text()).toMatch(/^Caused by: TypeError: Invalid URL: http:\/\/\*\*\*@host\/x\?…$/m);
    expect(text()).not.toMatch(/pa55word|s1gn/);
  });
});
