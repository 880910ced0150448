/**
 * A streaming zip writer for the benchmark's big inputs: entries are stored (method 0), as any
 * zip tool stores random bytes it cannot shrink, and file bodies are written chunk by chunk, so a
 * 500 MB app never sits in memory. No zip64: the whole archive must stay under 4 GiB.
 */
import { randomFill } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { promisify } from "node:util";
import { crc32 } from "node:zlib";

const randomFillAsync = promisify(randomFill);
const chunkBytes = 1024 * 1024;
const zipLimit = 0xffffffff;
/** 2020-01-01 00:00, MS-DOS date and time. */
const dosDate = ((2020 - 1980) << 9) | (1 << 5) | 1;
const dosTime = 0;

interface Written {
  name: string;
  crc: number;
  size: number;
  offset: number;
  /** st_mode (type and permission bits). */
  mode: number;
}

export class StoredZip {
  readonly #entries: Written[] = [];
  #offset = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async create(path: string): Promise<StoredZip> {
    return new StoredZip(await open(path, "wx"));
  }

  async addDirectory(name: string): Promise<void> {
    await this.#add(`${name.replace(/\/$/, "")}/`, 0o040755, Buffer.alloc(0));
  }

  async addFile(name: string, data: Buffer, mode = 0o644): Promise<void> {
    await this.#add(name, 0o100000 | mode, data);
  }

  /** A file of `size` cryptographically random (incompressible) bytes. */
  async addRandomFile(name: string, size: number, mode = 0o644): Promise<void> {
    const headerAt = this.#offset;
    await this.#write(localHeader(name, 0, 0));
    const chunk = Buffer.alloc(Math.min(chunkBytes, Math.max(size, 1)));
    let crc = 0;
    for (let left = size; left > 0; left -= chunk.length) {
      const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
      await randomFillAsync(part);
      crc = crc32(part, crc);
      await this.#write(part);
      if (part !== chunk) break;
    }
    // The sizes and CRC are known only now: patch them into the local header.
    await this.handle.write(localHeader(name, crc, size), 0, 30, headerAt);
    this.#entries.push({ name, crc, size, offset: headerAt, mode: 0o100000 | mode });
  }

  /** Writes the central directory and closes the file. */
  async close(): Promise<void> {
    try {
      const start = this.#offset;
      for (const entry of this.#entries) await this.#write(centralHeader(entry));
      await this.#write(endRecord(this.#entries.length, this.#offset - start, start));
    } finally {
      await this.handle.close();
    }
  }

  async #add(name: string, mode: number, data: Buffer): Promise<void> {
    const crc = crc32(data);
    const offset = this.#offset;
    await this.#write(Buffer.concat([localHeader(name, crc, data.length), data]));
    this.#entries.push({ name, crc, size: data.length, offset, mode });
  }

  async #write(data: Buffer): Promise<void> {
    if (this.#offset + data.length > zipLimit) {
      throw new Error("the benchmark's zip writer has no zip64: keep inputs under 4 GiB");
    }
    await this.handle.write(data, 0, data.length, this.#offset);
    this.#offset += data.length;
  }
}

function localHeader(name: string, crc: number, size: number): Buffer {
  const nameBytes = Buffer.from(name, "utf8");
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(0x0800, 6); // UTF-8 names
  header.writeUInt16LE(0, 8); // stored
  header.writeUInt16LE(dosTime, 10);
  header.writeUInt16LE(dosDate, 12);
  header.writeUInt32LE(crc >>> 0, 14);
  header.writeUInt32LE(size, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(nameBytes.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, nameBytes]);
}

function centralHeader(entry: Written): Buffer {
  const nameBytes = Buffer.from(entry.name, "utf8");
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes hold st_mode
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(0x0800, 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(dosTime, 12);
  header.writeUInt16LE(dosDate, 14);
  header.writeUInt32LE(entry.crc >>> 0, 16);
  header.writeUInt32LE(entry.size, 20);
  header.writeUInt32LE(entry.size, 24);
  header.writeUInt16LE(nameBytes.length, 28);
  const dosDirectory = entry.name.endsWith("/") ? 0x10 : 0;
  header.writeUInt32LE(((entry.mode << 16) | dosDirectory) >>> 0, 38);
  header.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([header, nameBytes]);
}

function endRecord(count: number, size: number, offset: number): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(0x06054b50, 0);
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(size, 12);
  record.writeUInt32LE(offset, 16);
  return record;
}
