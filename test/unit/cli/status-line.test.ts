import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createStatusLine } from "../../../src/cli/status-line.js";

function terminal(columns: number | undefined): PassThrough & { isTTY: boolean; columns?: number } {
  const stream = Object.assign(new PassThrough(), { isTTY: true });
  return columns === undefined ? stream : Object.assign(stream, { columns });
}

describe("createStatusLine", () => {
  it("draws nothing on a terminal of no width (a pty nobody sized, as script makes)", async () => {
    for (const stream of [terminal(0), terminal(undefined)]) {
      const written: string[] = [];
      stream.on("data", (chunk: Buffer) => written.push(chunk.toString()));
      const status = await createStatusLine(stream);
      status.phase("downloading the droplet");
      status.above(() => stream.write("a line\n"));
      status.stop();
      expect(written.join("")).toBe("a line\n");
    }
  });
});
