import { deflateRawSync } from "node:zlib";

/**
 * A minimal, deterministic zip writer (no encryption; zip64 only for a claimed size).
 *
 * Entries keep unix modes in the central directory's external attributes ("version made by"
 * = Unix), so `unzip` restores executable bits and symlinks. Every entry gets the same DOS
 * timestamp, so the same entries always give the same bytes.
 */
export class ZipWriter {
  private readonly entries: PendingEntry[] = [];
  private readonly dosTime: number;
  private readonly dosDate: number;
  private readonly unsafeNames: boolean;

  /**
   * `unsafeNames` lets entry names be absolute or climb with `..`: only for bad-input
   * fixtures (fixtures/bad/), which must hold exactly what a hostile archive would.
   */
  constructor(options: { mtime?: Date; unsafeNames?: boolean } = {}) {
    this.unsafeNames = options.unsafeNames ?? false;
    const mtime = options.mtime ?? new Date(Date.UTC(2020, 0, 1));
    this.dosTime =
      (mtime.getUTCHours() << 11) | (mtime.getUTCMinutes() << 5) | (mtime.getUTCSeconds() >> 1);
    this.dosDate =
      ((mtime.getUTCFullYear() - 1980) << 9) |
      ((mtime.getUTCMonth() + 1) << 5) |
      mtime.getUTCDate();
  }

  /** A regular file; `mode` holds the permission bits (default 0644). */
  addFile(path: string, data: Uint8Array | string, mode = 0o644): this {
    const bytes = typeof data === "string" ? Buffer.from(data) : Buffer.from(data);
    return this.add(path, bytes, { mode: S_IFREG | (mode & 0o7777), compress: true });
  }

  /** A directory; the name gets its trailing slash here. */
  addDirectory(path: string, mode = 0o755): this {
    const name = path.endsWith("/") ? path : `${path}/`;
    return this.add(name, Buffer.alloc(0), { mode: S_IFDIR | (mode & 0o7777), compress: false });
  }

  /**
   * A regular file whose headers claim `claimedSize` uncompressed bytes (in a zip64 extra
   * field when it needs 64 bits) while `data` is what is stored: a zip bomb's lying header,
   * for bad-input fixtures. CRC and compressed size are those of `data`.
   */
  addFileClaimingSize(path: string, data: Uint8Array | string, claimedSize: number): this {
    this.addFile(path, data);
    const entry = this.entries[this.entries.length - 1];
    if (entry) entry.claimedSize = claimedSize;
    return this;
  }

  /** A symbolic link whose stored content is its target, as Info-ZIP does it. */
  addSymlink(path: string, target: string): this {
    return this.add(path, Buffer.from(target), { mode: S_IFLNK | 0o777, compress: false });
  }

  /** The whole archive. */
  toBuffer(): Buffer {
    const parts: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    for (const entry of this.entries) {
      const local = this.localHeader(entry);
      central.push(this.centralHeader(entry, offset));
      parts.push(local, entry.stored);
      offset += local.length + entry.stored.length;
    }
    const centralDir = Buffer.concat(central);
    checkLimit(offset + centralDir.length, "archive size");
    return Buffer.concat([
      ...parts,
      centralDir,
      endOfCentralDirectory(this.entries.length, centralDir.length, offset),
    ]);
  }

  private add(name: string, data: Buffer, how: { mode: number; compress: boolean }): this {
    const { mode, compress } = how;
    if (!this.unsafeNames && (name.startsWith("/") || name.split("/").includes(".."))) {
      throw new Error(`zip entry name must be relative without '..': ${name}`);
    }
    checkLimit(data.length, `size of ${name}`);
    const deflated = compress && data.length > 0 ? deflateRawSync(data, { level: 9 }) : undefined;
    const useDeflate = deflated !== undefined && deflated.length < data.length;
    this.entries.push({
      name: Buffer.from(name, "utf8"),
      mode,
      crc: crc32(data),
      size: data.length,
      method: useDeflate ? 8 : 0,
      stored: useDeflate ? deflated : data,
    });
    return this;
  }

  private localHeader(e: PendingEntry): Buffer {
    const zip64 = zip64Extra(e, true);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(UTF8_FLAG, 6);
    h.writeUInt16LE(e.method, 8);
    h.writeUInt16LE(this.dosTime, 10);
    h.writeUInt16LE(this.dosDate, 12);
    h.writeUInt32LE(e.crc, 14);
    h.writeUInt32LE(zip64 ? 0xffffffff : e.stored.length, 18);
    h.writeUInt32LE(zip64 ? 0xffffffff : declaredSize(e), 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(zip64?.length ?? 0, 28);
    return Buffer.concat([h, e.name, zip64 ?? Buffer.alloc(0)]);
  }

  private centralHeader(e: PendingEntry, localOffset: number): Buffer {
    const zip64 = zip64Extra(e, false);
    const h = Buffer.alloc(46);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
    h.writeUInt16LE(20, 6);
    h.writeUInt16LE(UTF8_FLAG, 8);
    h.writeUInt16LE(e.method, 10);
    h.writeUInt16LE(this.dosTime, 12);
    h.writeUInt16LE(this.dosDate, 14);
    h.writeUInt32LE(e.crc, 16);
    h.writeUInt32LE(e.stored.length, 20);
    h.writeUInt32LE(zip64 ? 0xffffffff : declaredSize(e), 24);
    h.writeUInt16LE(e.name.length, 28);
    h.writeUInt16LE(zip64?.length ?? 0, 30);
    // comment length, disk number, internal attributes: all 0 (bytes 32..37)
    const msdosDir = (e.mode & S_IFMT) === S_IFDIR ? 0x10 : 0;
    h.writeUInt32LE(((e.mode << 16) | msdosDir) >>> 0, 38);
    h.writeUInt32LE(localOffset, 42);
    return Buffer.concat([h, e.name, zip64 ?? Buffer.alloc(0)]);
  }
}

function declaredSize(e: PendingEntry): number {
  return e.claimedSize ?? e.size;
}

/**
 * The zip64 extended information field for a claimed size of 4 GiB or more: the local header
 * holds both sizes, the central one only the uncompressed size (the field it sets to 0xffffffff).
 */
function zip64Extra(e: PendingEntry, local: boolean): Buffer | undefined {
  if (declaredSize(e) < 0xffffffff) return undefined;
  const values = local ? [declaredSize(e), e.stored.length] : [declaredSize(e)];
  const field = Buffer.alloc(4 + 8 * values.length);
  field.writeUInt16LE(0x0001, 0);
  field.writeUInt16LE(8 * values.length, 2);
  values.forEach((value, i) => field.writeBigUInt64LE(BigInt(value), 4 + 8 * i));
  return field;
}

interface PendingEntry {
  name: Buffer;
  mode: number;
  crc: number;
  size: number;
  method: 0 | 8;
  stored: Buffer;
  /** What the headers declare instead of `size` (addFileClaimingSize). */
  claimedSize?: number;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const UTF8_FLAG = 0x0800;

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  if (count > 0xffff) throw new Error("too many zip entries for a zip without zip64");
  const h = Buffer.alloc(22);
  h.writeUInt32LE(0x06054b50, 0);
  h.writeUInt16LE(count, 8);
  h.writeUInt16LE(count, 10);
  h.writeUInt32LE(size, 12);
  h.writeUInt32LE(offset, 16);
  return h;
}

function checkLimit(value: number, what: string): void {
  if (value >= 0xffffffff) throw new Error(`${what} needs zip64, which this writer does not do`);
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE 802.3), as zip stores it. */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
