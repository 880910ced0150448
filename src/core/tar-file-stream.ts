/**
 * A `.tgz` or `.tar` file as an uncompressed tar stream, read and inflated in big pieces
 * (piece-sizes.ts); `onRaw` sees the file's own bytes (for its digests) as they are read.
 */
import { createReadStream } from "node:fs";
import { pipeline, PassThrough, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { inflatedChunkBytes, readChunkBytes } from "./piece-sizes.js";

export function tarFileStream(
  path: string,
  format: "gzip" | "tar",
  onRaw?: (chunk: Buffer) => void,
): Readable {
  const raw = createReadStream(path, { highWaterMark: readChunkBytes });
  if (onRaw) raw.on("data", (chunk) => onRaw(chunk as Buffer));
  if (format === "tar") return raw;
  return pipeline(
    raw,
    createGunzip({ chunkSize: inflatedChunkBytes }),
    new PassThrough({ highWaterMark: inflatedChunkBytes }),
    () => undefined,
  );
}
