/**
 * Converts a zip on disk into tar blocks: entry names kept, Unix modes and symlinks honoured
 * (0644 files / 0755 directories when the zip has no Unix mode), everything owned by `owner`.
 */
import { open, type FileHandle } from "node:fs/promises";
import type { Owner } from "./ports.js";
import { UnsafeArchiveError } from "./archive-errors.js";
import { plainNaming, prefixedName, type EntryNaming } from "./entry-naming.js";
import { EntrySafety } from "../core/entry-safety.js";
import { tarEnd, tarPadding } from "../core/tar-blocks.js";
import type { TarEntryHeader } from "./ports.js";
import { encodeTarHeader } from "./tar-header.js";
import { readZipDirectory, type ZipEntry } from "./zip-directory.js";
import { openZipEntryData } from "./zip-entry-data.js";

const typeMask = 0o170000;
const symlinkType = 0o120000;
const directoryType = 0o040000;
const maxLinkTargetBytes = 4096;

/** The blocks of a tar holding the entries of the zip at `path`. */
export async function* zipToTar(
  path: string,
  owner: Owner,
  limits: { maxEntryBytes: number; naming?: EntryNaming | undefined },
): AsyncGenerator<Buffer> {
  const { maxEntryBytes, naming = plainNaming } = limits;
  const handle = await open(path, "r");
  try {
    const safety = new EntrySafety();
    for await (const entry of readZipDirectory(handle)) {
      if (entry.uncompressedSize > maxEntryBytes) {
        const reason = `it declares ${entry.uncompressedSize} bytes, over the limit of ${maxEntryBytes}`;
        throw new UnsafeArchiveError(entry.name, reason);
      }
      const type = entryType(entry);
      const linkpath = type === "SymbolicLink" ? await readLinkTarget(handle, entry) : undefined;
      safety.check(entry.name, type, linkpath);
      const size = type === "File" ? entry.uncompressedSize : 0;
      const { uid, gid } = owner;
      const fields = headerFields(entry, type);
      const name = prefixedName(naming, fields.path);
      yield encodeTarHeader({ ...fields, path: name, size, linkpath, uid, gid });
      if (size === 0) continue;
      yield* await openZipEntryData(handle, entry);
      yield tarPadding(size);
    }
    if (naming.end) yield tarEnd;
  } finally {
    await handle.close();
  }
}

function entryType(entry: ZipEntry): "File" | "Directory" | "SymbolicLink" {
  const fileType = entry.unixMode === undefined ? 0 : entry.unixMode & typeMask;
  if (fileType === symlinkType) return "SymbolicLink";
  if (fileType === directoryType || entry.dosDirectory) return "Directory";
  return "File";
}

function headerFields(
  entry: ZipEntry,
  type: TarEntryHeader["type"],
): Pick<TarEntryHeader, "path" | "type" | "mode" | "mtime"> {
  const permissions = entry.unixMode === undefined ? 0 : entry.unixMode & 0o7777;
  const fallback = type === "Directory" ? 0o755 : type === "SymbolicLink" ? 0o777 : 0o644;
  return {
    path: entry.name,
    type,
    mode: permissions === 0 ? fallback : permissions,
    mtime: entry.mtime,
  };
}

/** A zip symlink stores its target as the entry's content. */
async function readLinkTarget(handle: FileHandle, entry: ZipEntry): Promise<string> {
  if (entry.uncompressedSize > maxLinkTargetBytes) {
    throw new UnsafeArchiveError(entry.name, "its symlink target is implausibly long");
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await openZipEntryData(handle, entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
