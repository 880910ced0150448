/**
 * Re-emits a tar stream entry by entry with every entry owned by `owner`, checking each one
 * with EntrySafety. Bodies are passed through chunk by chunk.
 */
import type { Readable } from "node:stream";
import type { ReadEntry } from "tar";
import type { Owner } from "./ports.js";
import { CorruptArchiveError } from "./archive-errors.js";
import { plainNaming, prefixedName, type EntryNaming } from "./entry-naming.js";
import { entryKind } from "../core/entry-kind.js";
import { EntrySafety, type SafeEntryType } from "../core/entry-safety.js";
import { tarEnd, tarPadding } from "../core/tar-blocks.js";
import type { TarEntryHeader } from "./ports.js";
import { encodeTarHeader } from "./tar-header.js";
import { readEntries } from "./tar-entries.js";

/** The blocks of a tar holding `source`'s entries, re-owned; `source` may be gzipped or not. */
export async function* retarEntries(
  source: Readable,
  owner: Owner,
  naming: EntryNaming = plainNaming,
): AsyncGenerator<Buffer> {
  const safety = new EntrySafety();
  for await (const entry of readEntries(source)) {
    const type = entryType(entry);
    safety.check(entry.path, type, entry.linkpath);
    if (type === "Device") continue; // unreachable: check() refuses devices
    const size = type === "File" ? entry.size : 0;
    const fields = headerFields(entry, type, naming);
    yield encodeTarHeader({ ...fields, size, uid: owner.uid, gid: owner.gid });
    if (size === 0) continue;
    let written = 0;
    for await (const chunk of entry as AsyncIterable<Buffer>) {
      written += chunk.length;
      yield chunk;
    }
    if (written !== size) {
      throw new CorruptArchiveError(`The tar entry '${entry.path}' is truncated`);
    }
    yield tarPadding(size);
  }
  if (naming.end) yield tarEnd;
}

function headerFields(
  entry: ReadEntry,
  type: TarEntryHeader["type"],
  naming: EntryNaming,
): Omit<TarEntryHeader, "size" | "uid" | "gid"> {
  const defaultMode = type === "Directory" ? 0o755 : 0o644;
  let linkpath: string | undefined;
  if (type === "SymbolicLink") linkpath = entry.linkpath;
  // A hard link names another entry of the archive, so it moves under the prefix with it.
  if (type === "Link" && entry.linkpath) linkpath = prefixedName(naming, entry.linkpath);
  return {
    path: prefixedName(naming, entry.path),
    type,
    mode: entry.mode ?? defaultMode,
    mtime: entry.mtime,
    linkpath,
  };
}

function entryType(entry: ReadEntry): SafeEntryType {
  return entryKind(entry.type, entry.path);
}
