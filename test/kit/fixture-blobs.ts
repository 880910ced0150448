import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, readlink, lstat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { Header, type HeaderData } from "tar";
import { xxh64Hex } from "./xxh64.js";
import { ZipWriter } from "./zip-writer.js";

/**
 * Builds, at test time and deterministically, the artifacts a fake Cloud Foundry serves:
 * the lifecycle tarball, buildpack zips and app package zips, from `fixtures/`.
 * The same inputs always give the same bytes (fixed mtimes, sorted entries, normalised modes).
 */

export { xxh64Hex };

/** The repository's `fixtures/` folder. */
export const fixturesDir = resolve(fileURLToPath(new URL("../../fixtures", import.meta.url)));

/** One built artifact and the digests Diego and Cloud Controller use for it. */
export interface BlobInfo {
  path: string;
  sizeBytes: number;
  md5Hex: string;
  sha1Hex: string;
  sha256Hex: string;
}

/** An entry read from a fixture folder, path relative to it with `/` separators. */
export interface TreeEntry {
  path: string;
  type: "file" | "dir" | "symlink";
  /** Permission bits, normalised: 0755 for dirs and executables, 0644 for other files. */
  mode: number;
  data?: Buffer;
  target?: string;
}

const FIXED_MTIME = new Date(Date.UTC(2020, 0, 1));
const LIFECYCLE_BINARIES = ["builder", "launcher", "healthcheck", "diego-sshd"] as const;

function digest(algorithm: string, data: string | Uint8Array): string {
  return createHash(algorithm).update(data).digest("hex");
}

export const md5Hex = (data: string | Uint8Array): string => digest("md5", data);

/**
 * A realistic admin buildpack key, `<guid>_<sha256>`, derived from `name` only. Keys whose
 * XXH64 starts with a 0 are skipped: the real builder names directories with Go's unpadded
 * `%x` while Cloud Controller pads to 16 digits, so only such keys resolve identically in both.
 */
export function buildpackKey(name: string): string {
  for (let attempt = 0; ; attempt++) {
    const seed = digest("sha256", `restager-fixture-buildpack:${name}:${attempt}`);
    const guid = `${seed.slice(0, 8)}-${seed.slice(8, 12)}-4${seed.slice(13, 16)}-a${seed.slice(17, 20)}-${seed.slice(20, 32)}`;
    const key = `${guid}_${digest("sha256", `zip:${name}:${attempt}`)}`;
    if (!xxh64Hex(key).startsWith("0")) return key;
  }
}

/** Every entry under `dir`, sorted by path (directories before their contents). */
export async function readTree(dir: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(join(dir, rel))).sort();
    for (const name of names) {
      const path = rel === "" ? name : `${rel}/${name}`;
      const full = join(dir, path);
      const stat = await lstat(full);
      if (stat.isSymbolicLink()) {
        out.push({ path, type: "symlink", mode: 0o777, target: await readlink(full) });
      } else if (stat.isDirectory()) {
        out.push({ path, type: "dir", mode: 0o755 });
        await walk(path);
      } else {
        const mode = stat.mode & 0o111 ? 0o755 : 0o644;
        out.push({ path, type: "file", mode, data: await readFile(full) });
      }
    }
  };
  await walk("");
  return out;
}

/** Options for {@link buildTar}: where entries go and who owns them. */
export interface TarOptions {
  /** Prepended to every path, e.g. `tmp/app` (no leading or trailing slash). */
  prefix?: string;
  uid?: number;
  gid?: number;
  /** Directory entries to emit first (e.g. the prefix's parents), with their owners. */
  parents?: { path: string; uid: number; gid: number; mode?: number }[];
}

/** An uncompressed ustar archive of `entries` with fixed mtimes. */
export function buildTar(entries: readonly TreeEntry[], options: TarOptions = {}): Buffer {
  const blocks: Buffer[] = [];
  const header = (data: HeaderData): void => {
    const h = new Header({ mtime: FIXED_MTIME, uname: "", gname: "", ...data });
    if (h.encode() || !h.block) throw new Error(`tar entry needs pax headers: ${String(h.path)}`);
    blocks.push(h.block);
  };
  for (const p of options.parents ?? []) {
    header({
      path: `${p.path}/`,
      type: "Directory",
      mode: p.mode ?? 0o755,
      uid: p.uid,
      gid: p.gid,
      size: 0,
    });
  }
  const owner = { uid: options.uid ?? 0, gid: options.gid ?? 0 };
  const prefixed = (path: string): string => (options.prefix ? `${options.prefix}/${path}` : path);
  for (const e of entries) {
    if (e.type === "dir")
      header({ ...owner, path: `${prefixed(e.path)}/`, type: "Directory", mode: e.mode, size: 0 });
    if (e.type === "symlink")
      header({
        ...owner,
        path: prefixed(e.path),
        type: "SymbolicLink",
        linkpath: e.target ?? "",
        mode: e.mode,
        size: 0,
      });
    if (e.type === "file") {
      const data = e.data ?? Buffer.alloc(0);
      header({ ...owner, path: prefixed(e.path), type: "File", mode: e.mode, size: data.length });
      blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** A zip of `entries` (modes and symlinks kept), optionally inside one top-level folder. */
export function buildZip(entries: readonly TreeEntry[], topLevelDir?: string): Buffer {
  const zip = new ZipWriter({ mtime: FIXED_MTIME });
  const name = (path: string): string => (topLevelDir ? `${topLevelDir}/${path}` : path);
  if (topLevelDir) zip.addDirectory(topLevelDir);
  for (const e of entries) {
    if (e.type === "dir") zip.addDirectory(name(e.path), e.mode);
    if (e.type === "symlink") zip.addSymlink(name(e.path), e.target ?? "");
    if (e.type === "file") zip.addFile(name(e.path), e.data ?? Buffer.alloc(0), e.mode);
  }
  return zip.toBuffer();
}

async function writeBlob(dir: string, fileName: string, data: Buffer): Promise<BlobInfo> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, fileName);
  await writeFile(path, data);
  return {
    path,
    sizeBytes: data.length,
    md5Hex: digest("md5", data),
    sha1Hex: digest("sha1", data),
    sha256Hex: digest("sha256", data),
  };
}

/** The lifecycle entries: the four scripts, flat, mode 0755. */
export async function lifecycleEntries(): Promise<TreeEntry[]> {
  return Promise.all(
    LIFECYCLE_BINARIES.map(async (name) => ({
      path: name,
      type: "file" as const,
      mode: 0o755,
      data: await readFile(join(fixturesDir, "lifecycle", name)),
    })),
  );
}

/** `<dir>/buildpack_app_lifecycle.tgz`: builder, launcher, healthcheck, diego-sshd at the root. */
export async function buildLifecycleTgz(dir: string): Promise<BlobInfo> {
  const tar = buildTar(await lifecycleEntries());
  return writeBlob(dir, "buildpack_app_lifecycle.tgz", gzipSync(tar, { level: 9 }));
}

/**
 * `<dir>/docker_app_lifecycle.tgz`, laid out as diego-release packs it: the docker launcher of
 * `fixtures/docker-lifecycle`, and the healthcheck and diego-sshd the buildpack tarball carries
 * too (the same programs upstream). No docker `builder`: restager does not stage docker apps.
 */
export async function buildDockerLifecycleTgz(dir: string): Promise<BlobInfo> {
  const file = async (folder: string, name: string): Promise<TreeEntry> => ({
    path: name,
    type: "file",
    mode: 0o755,
    data: await readFile(join(fixturesDir, folder, name)),
  });
  const entries = await Promise.all([
    file("docker-lifecycle", "launcher"),
    file("lifecycle", "healthcheck"),
    file("lifecycle", "diego-sshd"),
  ]);
  return writeBlob(dir, "docker_app_lifecycle.tgz", gzipSync(buildTar(entries), { level: 9 }));
}

/** `<dir>/<name>_buildpack.zip` from `fixtures/buildpacks/<name>` (`bin/` at the zip root by default). */
export async function buildBuildpackZip(
  name: string,
  dir: string,
  options: { topLevelDir?: string } = {},
): Promise<BlobInfo> {
  const entries = await readTree(join(fixturesDir, "buildpacks", name));
  return writeBlob(dir, `${name}_buildpack.zip`, buildZip(entries, options.topLevelDir));
}

/** `<dir>/<name>.zip`, an app package as `cf push` uploads it, from `fixtures/apps/<name>`. */
export async function buildAppZip(name: string, dir: string): Promise<BlobInfo> {
  const entries = await readTree(join(fixturesDir, "apps", name));
  return writeBlob(dir, `${name}.zip`, buildZip(entries));
}
