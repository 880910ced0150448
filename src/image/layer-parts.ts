/**
 * The entries of one image layer, read from an archive on disk (the droplet or the lifecycle
 * tarball) and re-rooted: each keeps its type, mode and body, gets the layer's owner and the
 * fixed time, and lands under `root` (`home/vcap`, `tmp/lifecycle`). The archive's own root
 * entry (`./`) is replaced by `parents`, so the directories' owners and modes are ours, not the
 * builder's temp dir's. Entries are checked with src/core/entry-safety.ts.
 */
import { posix } from "node:path";
import type { Readable } from "node:stream";
import { UnknownArchiveFormatError } from "../archive/archive-errors.js";
import { tarFileStream } from "../core/tar-file-stream.js";
import { entryKind } from "../core/entry-kind.js";
import { EntrySafety, type SafeEntryType } from "../core/entry-safety.js";
import { sniffArchive } from "../core/sniff-archive.js";
import type { TarCodec, TarEntryHeader } from "../archive/ports.js";

export interface ParentDir {
  path: string;
  mode: number;
  uid: number;
  gid: number;
}

export interface LayerSpec {
  /** Where the archive's entries go inside the layer, without slashes at either end. */
  root: string;
  uid: number;
  gid: number;
  /** Directories written before the entries, e.g. `home/` and `home/vcap/`. */
  parents: ParentDir[];
  mtime: Date;
  /** Reads the archive's entries and encodes the layer's headers. */
  tar: TarCodec;
}

/** One entry of the layer: its encoded header and, for files, its body (size bytes). */
export interface LayerPart {
  /** The entry's path inside the source archive, normalised (`app/server.js`). */
  sourcePath: string;
  header: Buffer;
  size: number;
  body?: AsyncIterable<Buffer> | undefined;
}

/** Opens a `.tgz` or `.tar` file as an uncompressed tar stream (tar-file-stream.ts). */
export async function openTarFile(
  path: string,
  onRaw?: (chunk: Buffer) => void,
): Promise<Readable> {
  const format = await sniffArchive(path);
  if (format !== "gzip" && format !== "tar") throw new UnknownArchiveFormatError();
  return tarFileStream(path, format, onRaw);
}

export async function* layerParts(tar: Readable, spec: LayerSpec): AsyncGenerator<LayerPart> {
  for (const dir of spec.parents) {
    const header = spec.tar.encodeHeader({
      ...dir,
      path: `${dir.path}/`,
      type: "Directory",
      size: 0,
      mtime: spec.mtime,
    });
    yield { sourcePath: "", header, size: 0 };
  }
  const safety = new EntrySafety();
  for await (const entry of spec.tar.entries(tar)) {
    const type = entryType(entry.type, entry.path);
    safety.check(entry.path, type, entry.linkpath);
    const sourcePath = relative(entry.path);
    if (sourcePath === "" || type === "Device") continue;
    const size = type === "File" ? entry.size : 0;
    const fields: TarEntryHeader = {
      path: `${spec.root}/${sourcePath}${type === "Directory" ? "/" : ""}`,
      type,
      mode: (entry.mode ?? (type === "Directory" ? 0o755 : 0o644)) & 0o7777,
      size,
      uid: spec.uid,
      gid: spec.gid,
      mtime: spec.mtime,
      linkpath: linkTarget(type, entry.linkpath, spec.root),
    };
    const body = size > 0 ? entry : undefined;
    yield { sourcePath, header: spec.tar.encodeHeader(fields), size, body };
  }
}

/** `./app/x/` → `app/x`; the root itself → "". */
function relative(path: string): string {
  const normal = posix.normalize(path.replace(/\/+$/, "") || ".");
  return normal === "." ? "" : normal.replace(/^\.\//, "");
}

/** Hard links name an archive path, so they move with the entries; symlinks stay as written. */
function linkTarget(type: SafeEntryType, linkpath: string | undefined, root: string) {
  if (type === "Link") return `${root}/${relative(linkpath ?? "")}`;
  return type === "SymbolicLink" ? linkpath : undefined;
}

function entryType(type: string, path: string): SafeEntryType {
  return entryKind(type, path);
}
