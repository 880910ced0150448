import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Header, Parser, type HeaderData, type ReadEntry } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tarCodec } from "../../../src/archive/tar-codec.js";
import { layerBlocks } from "../../../src/image/layer-blocks.js";
import { layerParts, openTarFile } from "../../../src/image/layer-parts.js";
import {
  dropletSpec,
  LayerStream,
  planFileLayer,
  stagingInfoPath,
} from "../../../src/image/planned-layer.js";
import { defaultImageTime } from "../../../src/image/image-time.js";

type RawEntry = HeaderData & { data?: string };

/** A tar of exactly these headers (and bodies), as a builder or an attacker would write it. */
function rawTar(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const { data, ...header } of entries) {
    const body = Buffer.from(data ?? "");
    const h = new Header({
      mode: 0o644,
      uid: 1000,
      gid: 1000,
      mtime: new Date(),
      size: body.length,
      ...header,
    });
    h.encode();
    blocks.push(h.block as Buffer, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const dropletEntries: RawEntry[] = [
  { path: "./", type: "Directory", mode: 0o700 },
  { path: "./app/", type: "Directory", mode: 0o755 },
  { path: "./app/server.sh", type: "File", mode: 0o755, data: "echo hi\n" },
  { path: "./app/same.sh", type: "Link", linkpath: "./app/server.sh", size: 0 },
  { path: "./app/current", type: "SymbolicLink", linkpath: "server.sh", size: 0 },
  { path: "./staging_info.yml", type: "File", data: '{"start_command":"sh server.sh"}' },
  { path: `./app/${"deep/".repeat(30)}file.txt`, type: "File", data: "x".repeat(700) },
];

async function entriesOf(
  tar: Buffer,
): Promise<{ path: string; uid?: number; mode?: number; mtime?: Date; linkpath?: string }[]> {
  const out: { path: string; uid?: number; mode?: number; mtime?: Date; linkpath?: string }[] = [];
  const parser = new Parser({ strict: true });
  parser.on("entry", (entry: ReadEntry) => {
    out.push({
      path: entry.path,
      uid: entry.uid,
      mode: entry.mode,
      mtime: entry.mtime,
      linkpath: entry.linkpath,
    });
    entry.resume();
  });
  await new Promise<void>((resolve, reject) => {
    parser.on("end", resolve);
    parser.on("error", reject);
    parser.end(tar);
  });
  return out;
}

async function collect(blocks: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of blocks) chunks.push(chunk);
  return Buffer.concat(chunks);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-layer-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeTgz(name: string, entries: RawEntry[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, gzipSync(rawTar(entries)));
  return path;
}

describe("the droplet layer", () => {
  it("re-roots every entry under home/vcap, owned by vcap, at the fixed time, sized as planned", async () => {
    const file = await writeTgz("droplet.tgz", dropletEntries);
    const planned = await planFileLayer("droplet", file, {
      spec: dropletSpec(defaultImageTime, tarCodec),
      capture: [stagingInfoPath],
    });
    const stream = new LayerStream(planned, "droplet/layer.tar");
    const tar = await collect(stream.entry().content as AsyncIterable<Buffer>);
    expect(tar.length).toBe(planned.plan.sizeBytes);
    expect(stream.diffId).toBe(`sha256:${createHash("sha256").update(tar).digest("hex")}`);
    expect(planned.plan.captured.get(stagingInfoPath)?.toString()).toBe(
      '{"start_command":"sh server.sh"}',
    );

    const entries = await entriesOf(tar);
    expect(entries.map((e) => e.path)).toEqual([
      "home/",
      "home/vcap/",
      "home/vcap/app/",
      "home/vcap/app/server.sh",
      "home/vcap/app/same.sh",
      "home/vcap/app/current",
      "home/vcap/staging_info.yml",
      `home/vcap/app/${"deep/".repeat(30)}file.txt`,
    ]);
    expect(entries.map((e) => e.uid)).toEqual([0, 2000, 2000, 2000, 2000, 2000, 2000, 2000]);
    expect(entries[1]?.mode).toBe(0o755);
    expect(entries[3]?.mode).toBe(0o755);
    expect(entries[4]?.linkpath).toBe("home/vcap/app/server.sh");
    expect(entries[5]?.linkpath).toBe("server.sh");
    expect(new Set(entries.map((e) => e.mtime?.toISOString()))).toEqual(
      new Set(["1980-01-01T00:00:01.000Z"]),
    );
  });

  it("hashes the droplet file itself for the labels", async () => {
    const file = await writeTgz("hash.tgz", dropletEntries.slice(0, 3));
    const planned = await planFileLayer("droplet", file, {
      spec: dropletSpec(defaultImageTime, tarCodec),
    });
    const raw = await readFile(file);
    expect(planned.md5Hex).toBe(createHash("md5").update(raw).digest("hex"));
    expect(planned.sha256Hex).toBe(createHash("sha256").update(raw).digest("hex"));
    expect(planned.fileBytes).toBe(raw.length);
  });

  it("takes the file's digests from the caller when it has them, checking the size", async () => {
    const file = await writeTgz("known.tgz", dropletEntries.slice(0, 3));
    const spec = dropletSpec(defaultImageTime, tarCodec);
    const raw = await readFile(file);
    const digests = { sizeBytes: raw.length, md5Hex: "a".repeat(32), sha256Hex: "b".repeat(64) };
    const known = await planFileLayer("droplet", file, { spec, digests });
    const hashed = await planFileLayer("droplet", file, { spec });
    expect(known).toMatchObject({ md5Hex: digests.md5Hex, sha256Hex: digests.sha256Hex });
    expect(known.plan.diffId).toBe(hashed.plan.diffId);
    await expect(
      planFileLayer("droplet", file, { spec, digests: { ...digests, sizeBytes: raw.length + 1 } }),
    ).rejects.toThrow(/The droplet changed while the image was being built/);
  });

  it.each([
    ["a path climbing out", { path: "./../../etc/cron.d/x", type: "File", data: "x" }],
    [
      "an absolute symlink",
      { path: "./app/passwd", type: "SymbolicLink", linkpath: "/etc/passwd", size: 0 },
    ],
    ["a device", { path: "./dev", type: "CharacterDevice", size: 0 }],
  ] as [string, RawEntry][])("refuses %s", async (_what, entry) => {
    const file = await writeTgz("unsafe.tgz", [dropletEntries[0] as RawEntry, entry]);
    await expect(
      planFileLayer("droplet", file, { spec: dropletSpec(defaultImageTime, tarCodec) }),
    ).rejects.toThrow(/Refusing archive entry/);
  });

  it("notices a droplet that changed between planning and streaming", async () => {
    const file = await writeTgz("changing.tgz", dropletEntries.slice(0, 3));
    const planned = await planFileLayer("droplet", file, {
      spec: dropletSpec(defaultImageTime, tarCodec),
    });
    await writeTgz("changing.tgz", dropletEntries);
    const parts = layerParts(await openTarFile(file), dropletSpec(defaultImageTime, tarCodec));
    await expect(collect(layerBlocks(parts, planned.plan.sizeBytes, "droplet"))).rejects.toThrow(
      /The droplet changed while the image was being built/,
    );
  });

  it("spools the layer while planning it: the same bytes as reading the droplet again, once", async () => {
    const file = await writeTgz("spooled.tgz", dropletEntries);
    const spec = dropletSpec(defaultImageTime, tarCodec);
    const spoolDir = join(dir, "spool-ok");
    await mkdir(spoolDir);
    const spooled = await planFileLayer("droplet", file, { spec, spool: spoolDir });
    const direct = await planFileLayer("droplet", file, { spec });
    expect(spooled.plan.diffId).toBe(direct.plan.diffId);
    expect(await readdir(spoolDir)).toHaveLength(1);
    // Streamed from the spool even once the droplet is gone.
    await rm(file);
    const tar = await collect(
      new LayerStream(spooled, "droplet/layer.tar").entry().content as AsyncIterable<Buffer>,
    );
    expect(tar.length).toBe(direct.plan.sizeBytes);
    expect(`sha256:${createHash("sha256").update(tar).digest("hex")}`).toBe(direct.plan.diffId);
    await spooled.spool?.release();
    await spooled.spool?.release();
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it("leaves no spool file behind when planning fails or is cancelled", async () => {
    const spec = dropletSpec(defaultImageTime, tarCodec);
    const spoolDir = join(dir, "spool-failed");
    await mkdir(spoolDir);
    const unsafe = await writeTgz("unsafe-spool.tgz", [
      ...dropletEntries.slice(0, 3),
      { path: "./../../etc/cron.d/x", type: "File", data: "x" },
    ]);
    await expect(planFileLayer("droplet", unsafe, { spec, spool: spoolDir })).rejects.toThrow(
      /Refusing archive entry/,
    );
    const file = await writeTgz("cancelled.tgz", dropletEntries);
    const signal = AbortSignal.abort();
    await expect(planFileLayer("droplet", file, { spec, spool: spoolDir, signal })).rejects.toThrow(
      /cancel|interrupt/i,
    );
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it("says where it cannot spool (exit 73), not a bare file system error", async () => {
    const file = await writeTgz("nowhere.tgz", dropletEntries);
    const spec = dropletSpec(defaultImageTime, tarCodec);
    const nowhere = join(dir, "no-such-dir", "spool");
    await expect(planFileLayer("droplet", file, { spec, spool: nowhere })).rejects.toMatchObject({
      message: `Cannot create a temporary directory in ${nowhere}`,
      exitCode: 73,
    });
  });

  it("refuses a file that is neither gzip nor tar", async () => {
    const file = join(dir, "droplet.zip");
    await writeFile(file, Buffer.from("PK\x03\x04rest"));
    await expect(openTarFile(file)).rejects.toThrow(/unknown archive format/);
  });
});
