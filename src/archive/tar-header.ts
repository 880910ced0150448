/**
 * Encodes tar headers (with a PAX extended header in front when a name or size does not fit
 * ustar) through the tar package, so every emitted entry is read back correctly by Docker.
 */
import { Header, Pax } from "tar";
import type { TarEntryHeader } from "./ports.js";

/** The header block(s) of one entry. */
export function encodeTarHeader(entry: TarEntryHeader): Buffer {
  const header = new Header({
    path: entry.path,
    type: entry.type,
    mode: entry.mode,
    size: entry.size,
    uid: entry.uid,
    gid: entry.gid,
    mtime: entry.mtime,
    linkpath: entry.linkpath ?? "",
    uname: "",
    gname: "",
  });
  const block = Buffer.alloc(512);
  const needPax = header.encode(block);
  if (!needPax) return block;
  const pax = new Pax({
    path: entry.path,
    linkpath: entry.linkpath,
    size: entry.size,
    mtime: entry.mtime,
  }).encode();
  return Buffer.concat([pax, block]);
}
