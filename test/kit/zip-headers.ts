/**
 * The zip records both of the kit's zip writers emit (the in-memory `ZipWriter` for fixtures and
 * the streaming `StoredZip` for big benchmark inputs): local and central file headers with UTF-8
 * names and Unix modes ("version made by" = Unix, so `unzip` restores modes and symlinks), and
 * the end record. zip64 only as the extra field a fixture's lying size needs.
 */
export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;
const UTF8_FLAG = 0x0800;
/** 32-bit fields hold at most this; beyond it zip64 is needed. */
export const ZIP32_LIMIT = 0xffffffff;

/** MS-DOS date and time of `mtime` (UTC), as zip headers carry them. */
export interface DosTimestamp {
  time: number;
  date: number;
}

export function dosTimestamp(mtime: Date): DosTimestamp {
  return {
    time: (mtime.getUTCHours() << 11) | (mtime.getUTCMinutes() << 5) | (mtime.getUTCSeconds() >> 1),
    date:
      ((mtime.getUTCFullYear() - 1980) << 9) |
      ((mtime.getUTCMonth() + 1) << 5) |
      mtime.getUTCDate(),
  };
}

/** One entry as its headers describe it. */
export interface ZipEntryRecord {
  name: Buffer;
  /** st_mode: type and permission bits. */
  mode: number;
  crc: number;
  /** 0 stored, 8 deflated. */
  method: 0 | 8;
  compressedSize: number;
  /** The uncompressed size the headers declare. */
  size: number;
  timestamp: DosTimestamp;
  /** An extra field (zip64) for this header, if any. */
  extra?: Buffer | undefined;
}

export function localHeader(e: ZipEntryRecord): Buffer {
  const extra = e.extra ?? Buffer.alloc(0);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(UTF8_FLAG, 6);
  h.writeUInt16LE(e.method, 8);
  h.writeUInt16LE(e.timestamp.time, 10);
  h.writeUInt16LE(e.timestamp.date, 12);
  h.writeUInt32LE(e.crc >>> 0, 14);
  h.writeUInt32LE(e.extra ? ZIP32_LIMIT : e.compressedSize, 18);
  h.writeUInt32LE(e.extra ? ZIP32_LIMIT : e.size, 22);
  h.writeUInt16LE(e.name.length, 26);
  h.writeUInt16LE(extra.length, 28);
  return Buffer.concat([h, e.name, extra]);
}

export function centralHeader(e: ZipEntryRecord, localOffset: number): Buffer {
  const extra = e.extra ?? Buffer.alloc(0);
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(UTF8_FLAG, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt16LE(e.timestamp.time, 12);
  h.writeUInt16LE(e.timestamp.date, 14);
  h.writeUInt32LE(e.crc >>> 0, 16);
  h.writeUInt32LE(e.compressedSize, 20);
  h.writeUInt32LE(e.extra ? ZIP32_LIMIT : e.size, 24);
  h.writeUInt16LE(e.name.length, 28);
  h.writeUInt16LE(extra.length, 30);
  // comment length, disk number, internal attributes: all 0 (bytes 32..37)
  const msdosDir = (e.mode & S_IFMT) === S_IFDIR ? 0x10 : 0;
  h.writeUInt32LE(((e.mode << 16) | msdosDir) >>> 0, 38);
  h.writeUInt32LE(localOffset, 42);
  return Buffer.concat([h, e.name, extra]);
}

export function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  if (count > 0xffff) throw new Error("too many zip entries for a zip without zip64");
  const h = Buffer.alloc(22);
  h.writeUInt32LE(0x06054b50, 0);
  h.writeUInt16LE(count, 8);
  h.writeUInt16LE(count, 10);
  h.writeUInt32LE(size, 12);
  h.writeUInt32LE(offset, 16);
  return h;
}
