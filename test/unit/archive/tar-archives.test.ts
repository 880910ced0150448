import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { create, Header } from "tar";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ZipWriter } from "../../kit/zip-writer.js";
import {
  UnknownArchiveFormatError,
  UnsafeArchiveError,
} from "../../../src/archive/archive-errors.js";
import { TarArchives } from "../../../src/archive/tar-archives.js";
import { readTarEntries } from "../../kit/read-tar.js";

let dir: string;
const owner = { uid: 2000, gid: 2001 };
const archives = new TarArchives();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-archive-test-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const readTar = readTarEntries;

/** A tar built block by block, so tests can hold entries the tar package refuses to create. */
function rawTar(
  entries: { path: string; type?: string; linkpath?: string; body?: string }[],
): Buffer {
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

async function sampleTree(): Promise<string> {
  const root = join(dir, "tree");
  await mkdir(join(root, "bin"), { recursive: true });
  await writeFile(join(root, "bin", "run"), "#!/bin/sh\necho hi\n");
  await chmod(join(root, "bin", "run"), 0o755);
  await writeFile(join(root, "big.bin"), randomBytes(3 * 1024 * 1024));
  await symlink("bin/run", join(root, "link"));
  return root;
}

describe("TarArchives.toTar", () => {
  it.each([true, false])("re-owns every entry of a tar (gzip: %s)", async (gzip) => {
    const root = await sampleTree();
    const file = join(dir, gzip ? "a.tgz" : "a.tar");
    await create({ gzip, file, cwd: root }, ["."]);
    const entries = await readTar(archives.toTar(file, owner));
    expect(entries.map((e) => e.path).sort()).toEqual([
      "./",
      "./big.bin",
      "./bin/",
      "./bin/run",
      "./link",
    ]);
    for (const entry of entries)
      expect([entry.uid, entry.gid, entry.uname]).toEqual([2000, 2001, ""]);
    const run = entries.find((e) => e.path === "./bin/run");
    expect(run?.mode).toBe(0o755);
    expect(run?.body.toString()).toBe("#!/bin/sh\necho hi\n");
    expect(entries.find((e) => e.path === "./big.bin")?.body.length).toBe(3 * 1024 * 1024);
    expect(entries.find((e) => e.path === "./link")).toMatchObject({
      type: "SymbolicLink",
      linkpath: "bin/run",
    });
  });

  it("converts a zip, keeping the exec bit and symlinks and defaulting modes", async () => {
    const longName = `deep/${"d".repeat(120)}/file.txt`;
    const zip = new ZipWriter()
      .addDirectory("bin")
      .addFile("bin/run", "#!/bin/sh\n", 0o755)
      .addFile("data.txt", "hello ".repeat(10_000))
      .addFile(longName, "long")
      .addSymlink("link", "bin/run")
      .toBuffer();
    const entries = await readTar(archives.toTar(await fileWith("a.zip", zip), owner));
    expect(entries.map((e) => [e.path, e.type, e.mode])).toEqual([
      ["bin/", "Directory", 0o755],
      ["bin/run", "File", 0o755],
      ["data.txt", "File", 0o644],
      [longName, "File", 0o644],
      ["link", "SymbolicLink", 0o777],
    ]);
    expect(entries[2]?.body.toString()).toBe("hello ".repeat(10_000));
    expect(entries[4]?.linkpath).toBe("bin/run");
    for (const entry of entries) expect([entry.uid, entry.gid]).toEqual([2000, 2001]);
  });

  it("converts a zip of many files, big ones in many pieces, without Node warning of a leak", async () => {
    // Each entry read through FileHandle.createReadStream left a listener on the shared handle:
    // past ten entries Node printed a MaxListenersExceededWarning to the user's terminal.
    const random = randomBytes(2_500_000);
    const compressible = Buffer.from("restager ".repeat(400_000));
    const zip = new ZipWriter().addFile("random.bin", random).addFile("text.txt", compressible);
    for (let i = 0; i < 40; i++) zip.addFile(`public/f${i}.txt`, `file ${i}\n`);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const entries = await readTar(
        archives.toTar(await fileWith("many.zip", zip.toBuffer()), owner),
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(entries).toHaveLength(42);
      expect(entries[0]?.body.equals(random)).toBe(true);
      expect(entries[1]?.body.equals(compressible)).toBe(true);
      expect(entries[41]?.body.toString()).toBe("file 39\n");
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.map((warning) => warning.name)).toEqual([]);
  });

  it.skipIf(!existsSync("/usr/bin/zip"))("converts a zip made by Info-ZIP", async () => {
    const root = await sampleTree();
    execFileSync("zip", ["-q", "-r", "-y", join(dir, "info.zip"), "."], { cwd: root });
    const entries = await readTar(archives.toTar(join(dir, "info.zip"), owner));
    expect(entries.find((e) => e.path === "bin/run")?.mode).toBe(0o755);
    expect(entries.find((e) => e.path === "link")?.linkpath).toBe("bin/run");
    expect(entries.find((e) => e.path === "big.bin")?.body.length).toBe(3 * 1024 * 1024);
  });

  it("converts an empty zip into an empty tar", async () => {
    const stream = archives.toTar(await fileWith("e.zip", new ZipWriter().toBuffer()), owner);
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    expect(Buffer.concat(chunks)).toEqual(Buffer.alloc(1024));
  });

  it("fails anything else with `unknown archive format`", async () => {
    const path = await fileWith("plain.txt", Buffer.from("just a file\n"));
    const failure = readTar(archives.toTar(path, owner));
    await expect(failure).rejects.toBeInstanceOf(UnknownArchiveFormatError);
    await expect(failure).rejects.toThrow("unknown archive format");
  });
});

describe("TarArchives.toTar failures", () => {
  it.each([
    { path: "../evil", type: "File", linkpath: undefined, reason: "climbs out" },
    { path: "/etc/cron.d/x", type: "File", linkpath: undefined, reason: "is absolute" },
    { path: "passwd", type: "SymbolicLink", linkpath: "/etc/passwd", reason: "absolute" },
  ])("refuses $path ($type → $linkpath)", async ({ path, type, linkpath, reason }) => {
    const tar = rawTar([
      { path: "ok.txt", body: "fine" },
      { path, type, linkpath },
    ]);
    const failure = readTar(archives.toTar(await fileWith("evil.tgz", gzipSync(tar)), owner));
    await expect(failure).rejects.toBeInstanceOf(UnsafeArchiveError);
    await expect(failure).rejects.toThrow(`Refusing archive entry '${path}'`);
    await expect(failure).rejects.toThrow(reason);
  });

  it("re-emits an empty gzipped tar as an empty tar", async () => {
    const stream = archives.toTar(
      await fileWith("empty.tgz", gzipSync(Buffer.alloc(10240))),
      owner,
    );
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    expect(Buffer.concat(chunks)).toEqual(Buffer.alloc(1024));
  });

  it("fails a gzipped file that is not a tar", async () => {
    const path = await fileWith("notar.gz", gzipSync(Buffer.from("hello world ".repeat(100))));
    await expect(readTar(archives.toTar(path, owner))).rejects.toThrow("could not be read");
  });

  it("fails a truncated tar", async () => {
    const tar = rawTar([{ path: "a.txt", body: "x".repeat(5000) }]);
    const path = await fileWith("cut.tar", tar.subarray(0, 2048));
    await expect(readTar(archives.toTar(path, owner))).rejects.toThrow();
  });

  it("refuses zip entries with absolute or climbing names", async () => {
    for (const [placeholder, evil] of [
      ["Xetc/passwd", "/etc/passwd"],
      ["aa/evil", "../evil"],
    ] as const) {
      const zip = new ZipWriter().addFile(placeholder, "x").toBuffer();
      const patched = Buffer.from(zip.toString("latin1").split(placeholder).join(evil), "latin1");
      const failure = readTar(archives.toTar(await fileWith("evil.zip", patched), owner));
      await expect(failure).rejects.toThrow(`Refusing archive entry '${evil}'`);
    }
  });

  it("refuses a zip symlink to /etc/passwd", async () => {
    const zip = new ZipWriter().addSymlink("passwd", "/etc/passwd").toBuffer();
    const failure = readTar(archives.toTar(await fileWith("link.zip", zip), owner));
    await expect(failure).rejects.toThrow("its link target is absolute");
  });

  it("stops a zip entry that inflates beyond its declared size", async () => {
    const zip = new ZipWriter().addFile("bomb", Buffer.alloc(1024 * 1024)).toBuffer();
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(1000, central + 24); // the central directory now claims 1000 bytes
    const failure = readTar(archives.toTar(await fileWith("bomb.zip", zip), owner));
    await expect(failure).rejects.toThrow(
      "Refusing archive entry 'bomb': it inflates to more than its declared 1000 bytes",
    );
  });

  it("refuses a zip entry declaring more than the configured cap", async () => {
    const zip = new ZipWriter().addFile("big", Buffer.alloc(2048)).toBuffer();
    const small = new TarArchives({ maxEntryBytes: 1024 });
    const failure = readTar(small.toTar(await fileWith("big.zip", zip), owner));
    await expect(failure).rejects.toThrow("over the limit of 1024");
  });
});
