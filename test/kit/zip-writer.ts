import { crc32, deflateRawSync } from "node:zlib";
import {
  centralHeader,
  dosTimestamp,
  endOfCentralDirectory,
  localHeader,
  S_IFDIR,
  S_IFLNK,
  S_IFREG,
  ZIP32_LIMIT,
  type DosTimestamp,
  type ZipEntryRecord,
} from "./zip-headers.js";

/**
 * A minimal, deterministic zip writer (no encryption; zip64 only for a claimed size).
 *
 * Entries keep unix modes in the central directory's external attributes ("version made by"
 * = Unix), so `unzip` restores executable bits and symlinks. Every entry gets the same DOS
 * timestamp, so the same entries always give the same bytes.
 */
export class ZipWriter {
  private readonly entries: PendingEntry[] = [];
  private readonly timestamp: DosTimestamp;
  private readonly unsafeNames: boolean;

  /**
   * `unsafeNames` lets entry names be absolute or climb with `..`: only for bad-input
   * fixtures (fixtures/bad/), which must hold exactly what a hostile archive would.
   */
  constructor(options: { mtime?: Date; unsafeNames?: boolean } = {}) {
    this.unsafeNames = options.unsafeNames ?? false;
    const mtime = options.mtime ?? new Date(Date.UTC(2020, 0, 1));
    this.timestamp = dosTimestamp(mtime);
  }

  /** A regular file; `mode` holds the permission bits (default 0644). */
  addFile(path: string, data: Uint8Array | string, mode = 0o644): this {
    const bytes = typeof data === "string" ? Buffer.from(data) : Buffer.from(data);
    return this.add(path, bytes, S_IFREG | (mode & 0o7777), true);
  }

  /** A directory; the name gets its trailing slash here. */
  addDirectory(path: string, mode = 0o755): this {
    const name = path.endsWith("/") ? path : `${path}/`;
    return this.add(name, Buffer.alloc(0), S_IFDIR | (mode & 0o7777), false);
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
    return this.add(path, Buffer.from(target), S_IFLNK | 0o777, false);
  }

  /** The whole archive. */
  toBuffer(): Buffer {
    const parts: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    for (const entry of this.entries) {
      const local = localHeader(this.record(entry, true));
      central.push(centralHeader(this.record(entry, false), offset));
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

  private add(name: string, data: Buffer, mode: number, compress: boolean): this {
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

  /** What the local (`local`) or central header says of `e`. */
  private record(e: PendingEntry, local: boolean): ZipEntryRecord {
    return {
      ...{ name: e.name, mode: e.mode, crc: e.crc, method: e.method },
      compressedSize: e.stored.length,
      size: declaredSize(e),
      timestamp: this.timestamp,
      extra: zip64Extra(e, local),
    };
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
  if (declaredSize(e) < ZIP32_LIMIT) return undefined;
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

function checkLimit(value: number, what: string): void {
  if (value >= ZIP32_LIMIT) throw new Error(`${what} needs zip64, which this writer does not do`);
}

/** CRC-32 (IEEE 802.3), as zip stores it. */
export { crc32 };
