import { Readable } from "node:stream";
import { Header } from "tar";
import { describe, expect, it } from "vitest";
import { firstFileIn, readTarFirstFile } from "../../../src/container/tar-first-file.js";

type Entry = { path: string; type: "File" | "Directory" | "ExtendedHeader" | "SymbolicLink" };

function tarOf(entries: (Entry & { body?: string; size?: number })[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? "");
    const block = Buffer.alloc(512);
    new Header({ path: entry.path, type: entry.type, size: body.length, mode: 0o644 }).encode(
      block,
      0,
    );
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

describe("readTarFirstFile", () => {
  it("returns the content of the first regular file", async () => {
    const archive = tarOf([{ path: "passwd", type: "File", body: "root:x:0:0::/root:/bin/sh\n" }]);
    const content = await readTarFirstFile(
      Readable.from([archive.subarray(0, 100), archive.subarray(100)]),
    );
    expect(content?.toString()).toBe("root:x:0:0::/root:/bin/sh\n");
  });

  it("skips pax headers and directories", () => {
    const archive = tarOf([
      { path: "PaxHeader/passwd", type: "ExtendedHeader", body: "30 mtime=1700000000.123456789\n" },
      { path: "dir/", type: "Directory" },
      { path: "dir/f", type: "File", body: "x".repeat(700) },
    ]);
    expect(firstFileIn(archive)?.toString()).toBe("x".repeat(700));
  });

  it("returns undefined for an archive without a regular file", () => {
    expect(firstFileIn(tarOf([{ path: "link", type: "SymbolicLink" }]))).toBeUndefined();
    expect(firstFileIn(Buffer.alloc(1024))).toBeUndefined();
  });

  it("refuses an oversized archive", async () => {
    const archive = tarOf([{ path: "big", type: "File", body: "y".repeat(5000) }]);
    await expect(readTarFirstFile(Readable.from([archive]), 1000)).rejects.toThrow("larger");
  });
});
