import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { PassThrough, Readable } from "node:stream";
import { Header } from "tar";
import { describe, expect, it } from "vitest";
import { CancelledError } from "../../../src/errors.js";
import { FirstEntryError } from "../../../src/archive/archive-errors.js";
import { spoolFirstEntry } from "../../../src/archive/spool-first-entry.js";

function tarOf(entries: { path: string; type?: "File" | "Directory"; body?: Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = entry.body ?? Buffer.alloc(0);
    const block = Buffer.alloc(512);
    new Header({
      path: entry.path,
      type: entry.type ?? "File",
      mode: 0o644,
      size: body.length,
    }).encode(block);
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** Streams `bytes` in small chunks, like Docker's archive endpoint would. */
function chunked(bytes: Buffer): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 7000) parts.push(bytes.subarray(at, at + 7000));
  return Readable.from(parts);
}

describe("spoolFirstEntry", () => {
  it("spools the first file with its size, md5 and sha256, ignoring later entries", async () => {
    const droplet = randomBytes(300_000);
    const tar = tarOf([
      { path: "droplet", body: droplet },
      { path: "other", body: Buffer.from("no") },
    ]);
    const spooled = await spoolFirstEntry(chunked(tar));
    try {
      expect(spooled.entryName).toBe("droplet");
      expect(spooled.sizeBytes).toBe(droplet.length);
      expect(spooled.md5Base64).toBe(createHash("md5").update(droplet).digest("base64"));
      expect(spooled.sha256Base64).toBe(createHash("sha256").update(droplet).digest("base64"));
      expect((await readFile(spooled.path)).equals(droplet)).toBe(true);
      expect(spooled.path).toContain("restager-upload-");
    } finally {
      await spooled.release();
    }
    expect(existsSync(spooled.path)).toBe(false);
  });

  it("spools an empty file", async () => {
    const spooled = await spoolFirstEntry(chunked(tarOf([{ path: "empty" }])));
    expect(spooled.sizeBytes).toBe(0);
    expect(spooled.md5Base64).toBe("1B2M2Y8AsgTpgAmY7PhCfg==");
    await spooled.release();
  });

  it("fails when the first entry is a directory", async () => {
    const tar = tarOf([
      { path: "tmp/app/", type: "Directory" },
      { path: "tmp/app/x", body: Buffer.from("x") },
    ]);
    const failure = spoolFirstEntry(chunked(tar));
    await expect(failure).rejects.toBeInstanceOf(FirstEntryError);
    await expect(failure).rejects.toThrow(
      "Failed to find first item in tar stream: 'tmp/app/' is a Directory",
    );
  });

  it("fails on a stream with no entries", async () => {
    await expect(spoolFirstEntry(chunked(Buffer.alloc(1024)))).rejects.toThrow(
      "Failed to find first item in tar stream",
    );
  });

  it("stops waiting when the signal aborts", async () => {
    const stalled = new PassThrough();
    const controller = new AbortController();
    const failure = spoolFirstEntry(stalled, { signal: controller.signal });
    controller.abort();
    await expect(failure).rejects.toBeInstanceOf(CancelledError);
    expect(stalled.destroyed).toBe(true);
  });
});
