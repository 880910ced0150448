import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readLines, type Line } from "../../../../src/request-input/scrape/read-lines.js";

async function collect(chunks: (string | Buffer)[], maxLineBytes = 1024) {
  const lines: Line[] = [];
  const tooLong: [number, number][] = [];
  const stream = Readable.from(chunks.map((c) => (typeof c === "string" ? Buffer.from(c) : c)));
  for await (const line of readLines(stream, {
    maxLineBytes,
    onTooLong: (lineNo, bytes) => tooLong.push([lineNo, bytes]),
  })) {
    lines.push(line);
  }
  return { lines, tooLong };
}

describe("readLines", () => {
  it("splits across chunk boundaries, strips CRLF and numbers lines from 1", async () => {
    const { lines } = await collect(["ab", "c\r\nde", "f\n\ng", "h"]);
    expect(lines).toEqual([
      { lineNo: 1, text: "abc" },
      { lineNo: 2, text: "def" },
      { lineNo: 3, text: "" },
      { lineNo: 4, text: "gh" },
    ]);
  });

  it("decodes multi-byte UTF-8 split between chunks", async () => {
    const bytes = Buffer.from("é€\n");
    const { lines } = await collect([
      bytes.subarray(0, 1),
      bytes.subarray(1, 3),
      bytes.subarray(3),
    ]);
    expect(lines).toEqual([{ lineNo: 1, text: "é€" }]);
  });

  it("skips lines over the limit, reporting their size, and keeps counting", async () => {
    const long = "x".repeat(30);
    const { lines, tooLong } = await collect(
      ["ok\n", long.slice(0, 10), long.slice(10), "\nafter\n", long],
      20,
    );
    expect(lines).toEqual([
      { lineNo: 1, text: "ok" },
      { lineNo: 3, text: "after" },
    ]);
    expect(tooLong).toEqual([
      [2, 30],
      [4, 30],
    ]);
  });

  it("skips a 20 MB line under the default 16 MiB limit without losing the next line", async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const chunks: Buffer[] = [Buffer.from("first\n")];
    for (let i = 0; i < 20; i++) chunks.push(chunk);
    chunks.push(Buffer.from("\nlast\n"));
    const { lines, tooLong } = await collect(chunks, 16 * 1024 * 1024);
    expect(lines.map((l) => l.text)).toEqual(["first", "last"]);
    expect(tooLong).toEqual([[2, 20 * 1024 * 1024]]);
  });

  it("stops when the signal aborts", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    const iterate = async () => {
      for await (const _ of readLines(Readable.from([Buffer.from("a\n")]), {
        maxLineBytes: 10,
        signal: controller.signal,
      }));
    };
    await expect(iterate()).rejects.toThrow("stop");
  });
});
