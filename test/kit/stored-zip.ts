/**
 * A streaming zip writer for the benchmark's big inputs: entries are stored (method 0), as any
 * zip tool stores random bytes it cannot shrink, and file bodies are written chunk by chunk, so a
 * 500 MB app never sits in memory. No zip64: the whole archive must stay under 4 GiB.
 */
import { randomFill } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { promisify } from "node:util";
import { crc32 } from "node:zlib";
import {
  centralHeader,
  dosTimestamp,
  endOfCentralDirectory,
  localHeader,
  S_IFDIR,
  S_IFREG,
  ZIP32_LIMIT,
  type ZipEntryRecord,
} from "./zip-headers.js";

const randomFillAsync = promisify(randomFill);
const chunkBytes = 1024 * 1024;
const timestamp = dosTimestamp(new Date(Date.UTC(2020, 0, 1)));

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
    await this.#add(`${name.replace(/\/$/, "")}/`, S_IFDIR | 0o755, Buffer.alloc(0));
  }

  async addFile(name: string, data: Buffer, mode = 0o644): Promise<void> {
    await this.#add(name, S_IFREG | mode, data);
  }

  /** A file of `size` cryptographically random (incompressible) bytes. */
  async addRandomFile(name: string, size: number, mode = 0o644): Promise<void> {
    const headerAt = this.#offset;
    await this.#write(localHeader(record({ name, crc: 0, size: 0, mode })));
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
    await this.handle.write(localHeader(record({ name, crc, size, mode })), 0, 30, headerAt);
    this.#entries.push({ name, crc, size, offset: headerAt, mode: S_IFREG | mode });
  }

  /** Writes the central directory and closes the file. */
  async close(): Promise<void> {
    try {
      const start = this.#offset;
      for (const entry of this.#entries) {
        await this.#write(centralHeader(record(entry), entry.offset));
      }
      await this.#write(endOfCentralDirectory(this.#entries.length, this.#offset - start, start));
    } finally {
      await this.handle.close();
    }
  }

  async #add(name: string, mode: number, data: Buffer): Promise<void> {
    const crc = crc32(data);
    const offset = this.#offset;
    await this.#write(
      Buffer.concat([localHeader(record({ name, crc, size: data.length, mode })), data]),
    );
    this.#entries.push({ name, crc, size: data.length, offset, mode });
  }

  async #write(data: Buffer): Promise<void> {
    if (this.#offset + data.length > ZIP32_LIMIT) {
      throw new Error("the streaming zip writer has no zip64: keep inputs under 4 GiB");
    }
    await this.handle.write(data, 0, data.length, this.#offset);
    this.#offset += data.length;
  }
}

/** A stored entry's headers: `size` bytes, as they are. */
function record(entry: Omit<Written, "offset">): ZipEntryRecord {
  return {
    name: Buffer.from(entry.name, "utf8"),
    mode: entry.mode,
    crc: entry.crc,
    method: 0,
    compressedSize: entry.size,
    size: entry.size,
    timestamp,
  };
}
