import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { Header } from "tar";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InternalError } from "../../../src/errors.js";
import { ZipWriter } from "../../kit/zip-writer.js";
import { UnknownArchiveFormatError } from "../../../src/archive/archive-errors.js";
import { combinedTar, TarPartError } from "../../../src/archive/combined-tar.js";
import { TarArchives } from "../../../src/archive/tar-archives.js";
import { readTarEntries } from "../../kit/read-tar.js";

interface Seen {
  path: string;
  type: string;
  uid: number | undefined;
  linkpath: string | undefined;
  body: string;
}

let dir: string;
const root = { uid: 0, gid: 0 };
const archives = new TarArchives();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-combined-test-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every entry of a tar stream, read by the tar package; rejects on the stream's error. */
async function readTar(stream: Readable): Promise<Seen[]> {
  const entries = await readTarEntries(stream);
  return entries.map(({ path, type, uid, linkpath, body }) => ({
    ...{ path, type, uid, linkpath },
    body: body.toString(),
  }));
}

function rawTar(entries: { path: string; type?: string; linkpath?: string; body?: string }[]) {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? "");
    const header = new Header({
      path: entry.path,
      type: (entry.type ?? "File") as "File",
      mode: 0o644,
      size: body.length,
      linkpath: entry.linkpath ?? "",
      mtime: new Date(0),
    });
    const block = Buffer.alloc(512);
    header.encode(block);
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

async function fileWith(name: string, bytes: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

const names = (entries: Seen[]) => entries.map((e) => `${e.type}:${e.path}`);

describe("TarArchives.toTar with a prefix", () => {
  it("puts a tgz's entries and hard-link targets under the prefix, after its directory", async () => {
    const tgz = gzipSync(
      rawTar([
        { path: "./", type: "Directory" },
        { path: "./bin/run", body: "#!/bin/sh\n" },
        { path: "./hard", type: "Link", linkpath: "./bin/run" },
        { path: "./soft", type: "SymbolicLink", linkpath: "bin/run" },
      ]),
    );
    const file = await fileWith("a.tgz", tgz);
    const entries = await readTar(archives.toTar(file, root, { prefix: "restager-fill/3" }));
    expect(names(entries)).toEqual([
      "Directory:restager-fill/3/",
      "Directory:restager-fill/3/",
      "File:restager-fill/3/bin/run",
      "Link:restager-fill/3/hard",
      "SymbolicLink:restager-fill/3/soft",
    ]);
    expect(entries.find((e) => e.type === "Link")?.linkpath).toBe("restager-fill/3/bin/run");
    expect(entries.find((e) => e.type === "SymbolicLink")?.linkpath).toBe("bin/run");
    expect(new Set(entries.map((e) => e.uid))).toEqual(new Set([0]));
  });

  it("prefixes zip entries and still creates the prefix for an empty zip", async () => {
    const zip = new ZipWriter().addDirectory("bin").addFile("bin/run", "x", 0o755).toBuffer();
    const full = await readTar(
      archives.toTar(await fileWith("a.zip", zip), root, { prefix: "tmp/lifecycle" }),
    );
    expect(names(full)).toEqual([
      "Directory:tmp/lifecycle/",
      "Directory:tmp/lifecycle/bin/",
      "File:tmp/lifecycle/bin/run",
    ]);
    const empty = new ZipWriter().toBuffer();
    const none = await readTar(
      archives.toTar(await fileWith("e.zip", empty), root, { prefix: "tmp/empty" }),
    );
    expect(names(none)).toEqual(["Directory:tmp/empty/"]);
  });

  it("refuses a prefix that is absolute or climbs", async () => {
    const file = await fileWith("a.tar", rawTar([{ path: "f", body: "1" }]));
    for (const prefix of ["/etc", "a/../../b", "../x", "a//b"]) {
      expect(() => archives.toTar(file, root, { prefix })).toThrow(InternalError);
    }
  });

  it("leaves out the end blocks when asked, so outputs concatenate", async () => {
    const file = await fileWith("a.tar", rawTar([{ path: "f", body: "1" }]));
    const chunks: Buffer[] = [];
    for await (const chunk of archives.toTar(file, root, { end: false })) {
      chunks.push(chunk as Buffer);
    }
    const bytes = Buffer.concat(chunks);
    expect(bytes.length).toBe(1024);
    expect(bytes.subarray(512).every((b) => b === 0x31 || b === 0)).toBe(true);
  });
});

describe("combinedTar", () => {
  it("holds every part under its prefix, in order, with one end marker", async () => {
    const tar = await fileWith("a.tar", rawTar([{ path: "a.txt", body: "A" }]));
    const zip = await fileWith("b.zip", new ZipWriter().addFile("b.txt", "B").toBuffer());
    const stream = combinedTar(archives, [
      { filePath: tar, owner: root, prefix: "restager-fill/0" },
      { filePath: zip, owner: { uid: 7, gid: 7 }, prefix: "restager-fill/1" },
    ]);
    const entries = await readTar(stream);
    expect(entries.map((e) => [e.path, e.uid, e.body])).toEqual([
      ["restager-fill/0/", 0, ""],
      ["restager-fill/0/a.txt", 0, "A"],
      ["restager-fill/1/", 7, ""],
      ["restager-fill/1/b.txt", 7, "B"],
    ]);
  });

  it("fails with the index of the part that is not an archive", async () => {
    const tar = await fileWith("a.tar", rawTar([{ path: "a.txt", body: "A" }]));
    const text = await fileWith("plain.txt", Buffer.from("not an archive"));
    const stream = combinedTar(archives, [
      { filePath: tar, owner: root, prefix: "p/0" },
      { filePath: text, owner: root, prefix: "p/1" },
    ]);
    const failure = await readTar(stream).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TarPartError);
    expect((failure as TarPartError).index).toBe(1);
    expect((failure as TarPartError).cause).toBeInstanceOf(UnknownArchiveFormatError);
  });
});
