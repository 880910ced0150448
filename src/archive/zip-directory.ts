/**
 * Reads a zip's central directory (zip64 included) from a file on disk, a window at a time, so
 * archives with many entries need no more memory than small ones.
 */
import type { FileHandle } from "node:fs/promises";
import { CorruptArchiveError } from "./archive-errors.js";

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** st_mode from a Unix-made entry's external attributes (type and permission bits). */
  unixMode: number | undefined;
  /** Set by MS-DOS attributes or a trailing slash, for entries without a Unix mode. */
  dosDirectory: boolean;
  mtime: Date;
}

interface DirectoryLocation {
  offset: number;
  size: number;
  count: number;
}

const eocdSignature = 0x06054b50;
const zip64LocatorSignature = 0x07064b50;
const zip64EocdSignature = 0x06064b50;
const centralSignature = 0x02014b50;
const windowBytes = 64 * 1024;

/** Yields every central directory entry of the zip open in `handle`. */
export async function* readZipDirectory(handle: FileHandle): AsyncGenerator<ZipEntry> {
  const { size: fileSize } = await handle.stat();
  const location = await locateDirectory(handle, fileSize);
  const reader = new WindowReader(handle, location.offset, location.offset + location.size);
  for (let i = 0; i < location.count; i++) {
    const fixed = await reader.take(46);
    if (fixed.readUInt32LE(0) !== centralSignature) throw corrupt("bad central directory entry");
    const variable = await reader.take(
      fixed.readUInt16LE(28) + fixed.readUInt16LE(30) + fixed.readUInt16LE(32),
    );
    yield parseEntry(fixed, variable);
  }
}

async function locateDirectory(handle: FileHandle, fileSize: number): Promise<DirectoryLocation> {
  const tailSize = Math.min(fileSize, 22 + 0xffff);
  const tail = await readAt(handle, fileSize - tailSize, tailSize);
  let at = tail.length - 22;
  while (at >= 0 && tail.readUInt32LE(at) !== eocdSignature) at--;
  if (at < 0) throw corrupt("no end of central directory record");
  const count = tail.readUInt16LE(at + 10);
  const size = tail.readUInt32LE(at + 12);
  const offset = tail.readUInt32LE(at + 16);
  if (count !== 0xffff && size !== 0xffffffff && offset !== 0xffffffff) {
    return { offset, size, count };
  }
  const eocdPosition = fileSize - tailSize + at;
  const locator = await readAt(handle, eocdPosition - 20, 20);
  if (locator.readUInt32LE(0) !== zip64LocatorSignature) throw corrupt("missing zip64 locator");
  const record = await readAt(handle, Number(locator.readBigUInt64LE(8)), 56);
  if (record.readUInt32LE(0) !== zip64EocdSignature) throw corrupt("bad zip64 record");
  return {
    count: Number(record.readBigUInt64LE(32)),
    size: Number(record.readBigUInt64LE(40)),
    offset: Number(record.readBigUInt64LE(48)),
  };
}

function parseEntry(fixed: Buffer, variable: Buffer): ZipEntry {
  const nameLength = fixed.readUInt16LE(28);
  const extra = variable.subarray(nameLength, nameLength + fixed.readUInt16LE(30));
  const name = variable.toString("utf8", 0, nameLength);
  const madeByUnix = fixed.readUInt16LE(4) >> 8 === 3;
  const external = fixed.readUInt32LE(38);
  const sizes = applyZip64(extra, {
    uncompressedSize: fixed.readUInt32LE(24),
    compressedSize: fixed.readUInt32LE(20),
    localHeaderOffset: fixed.readUInt32LE(42),
  });
  return {
    name,
    method: fixed.readUInt16LE(10),
    flags: fixed.readUInt16LE(8),
    crc32: fixed.readUInt32LE(16),
    ...sizes,
    unixMode: madeByUnix && external >>> 16 !== 0 ? external >>> 16 : undefined,
    dosDirectory: (external & 0x10) !== 0 || name.endsWith("/"),
    mtime: dosTime(fixed.readUInt16LE(14), fixed.readUInt16LE(12)),
  };
}

type Sizes = Pick<ZipEntry, "uncompressedSize" | "compressedSize" | "localHeaderOffset">;

/** Replaces 0xffffffff placeholders with the 64-bit values of the zip64 extra field, in order. */
function applyZip64(extra: Buffer, sizes: Sizes): Sizes {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = (): number => {
        if (field + 8 > at + 4 + length) throw corrupt("short zip64 extra field");
        const value = Number(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      const result = { ...sizes };
      for (const key of ["uncompressedSize", "compressedSize", "localHeaderOffset"] as const) {
        if (sizes[key] === 0xffffffff) result[key] = next();
      }
      return result;
    }
    at += 4 + length;
  }
  return sizes;
}

function dosTime(date: number, time: number): Date {
  return new Date(
    Date.UTC(
      (date >> 9) + 1980,
      Math.max(((date >> 5) & 0xf) - 1, 0),
      Math.max(date & 0x1f, 1),
      time >> 11,
      (time >> 5) & 0x3f,
      (time & 0x1f) * 2,
    ),
  );
}

export async function readAt(
  handle: FileHandle,
  position: number,
  length: number,
): Promise<Buffer> {
  if (position < 0) throw corrupt("unexpected end of file");
  // Never handed out unless every byte was read into it.
  const buffer = Buffer.allocUnsafe(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw corrupt("unexpected end of file");
  return buffer;
}

/** Sequential reads between two offsets, refilled a window at a time. */
class WindowReader {
  #buffer = Buffer.alloc(0);
  #position: number;

  constructor(
    private readonly handle: FileHandle,
    start: number,
    private readonly end: number,
  ) {
    this.#position = start;
  }

  async take(length: number): Promise<Buffer> {
    while (this.#buffer.length < length) {
      const want = Math.min(Math.max(windowBytes, length), this.end - this.#position);
      if (want <= 0) throw corrupt("central directory is truncated");
      const chunk = await readAt(this.handle, this.#position, want);
      this.#position += want;
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
    }
    const result = this.#buffer.subarray(0, length);
    this.#buffer = this.#buffer.subarray(length);
    return result;
  }
}

function corrupt(detail: string): CorruptArchiveError {
  return new CorruptArchiveError(`The zip archive is damaged: ${detail}`);
}
