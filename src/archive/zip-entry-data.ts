/**
 * Streams one zip entry's bytes (stored or deflated) from the file on disk. The output is held
 * to the size the central directory declares: a single byte more fails at once (a zip bomb with
 * a lying header never gets to inflate further), fewer bytes or a wrong CRC fail at the end.
 */
import type { FileHandle } from "node:fs/promises";
import { Readable, Transform, pipeline } from "node:stream";
import { crc32, createInflateRaw } from "node:zlib";
import { CorruptArchiveError, UnsafeArchiveError } from "./archive-errors.js";
import { inflatedChunkBytes, readChunkBytes } from "../core/piece-sizes.js";
import { readAt, type ZipEntry } from "./zip-directory.js";

const localSignature = 0x04034b50;

/** The entry's uncompressed bytes; errors surface on the returned stream. */
export async function openZipEntryData(handle: FileHandle, entry: ZipEntry): Promise<Readable> {
  if ((entry.flags & 0x1) !== 0) {
    throw new CorruptArchiveError(`The zip entry '${entry.name}' is encrypted`);
  }
  if (entry.method !== 0 && entry.method !== 8) {
    throw new CorruptArchiveError(
      `The zip entry '${entry.name}' uses compression method ${entry.method}; only stored and deflate are supported`,
    );
  }
  const local = await readAt(handle, entry.localHeaderOffset, 30);
  if (local.readUInt32LE(0) !== localSignature) {
    throw new CorruptArchiveError(
      `The zip archive is damaged: bad local header for '${entry.name}'`,
    );
  }
  const start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const raw = Readable.from(readRange(handle, start, entry.compressedSize), {
    objectMode: false,
    highWaterMark: readChunkBytes,
  });
  const limit = sizeGuard(entry);
  const onError = (): void => {};
  return entry.method === 8
    ? pipeline(raw, createInflateRaw({ chunkSize: inflatedChunkBytes }), limit, onError)
    : pipeline(raw, limit, onError);
}

/**
 * `length` bytes from `start`, a fresh buffer per piece (piece-sizes.ts); a short file fails.
 * Not FileHandle.createReadStream: each such stream adds a listener to the handle, shared by all
 * the entries, that stays until the handle closes; an app of more than ten files would make
 * Node print a leak warning.
 */
async function* readRange(
  handle: FileHandle,
  start: number,
  length: number,
): AsyncGenerator<Buffer> {
  for (let done = 0; done < length;) {
    const size = Math.min(readChunkBytes, length - done);
    yield await readAt(handle, start + done, size);
    done += size;
  }
}

function sizeGuard(entry: ZipEntry): Transform {
  let produced = 0;
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      produced += chunk.length;
      if (produced > entry.uncompressedSize) {
        const reason = `it inflates to more than its declared ${entry.uncompressedSize} bytes`;
        callback(new UnsafeArchiveError(entry.name, reason));
        return;
      }
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback) {
      if (produced !== entry.uncompressedSize) {
        callback(new CorruptArchiveError(`The zip entry '${entry.name}' is shorter than declared`));
      } else if (crc !== entry.crc32) {
        callback(new CorruptArchiveError(`The zip entry '${entry.name}' fails its CRC check`));
      } else {
        callback();
      }
    },
  });
}
