/**
 * Reads the content of the first regular file of a small tar stream (Docker's GET /archive of
 * one file, e.g. /etc/passwd). A deliberately tiny ustar/pax reader: the tar package belongs
 * to src/archive/, and this only needs to skip metadata entries (pax `x`/`g`, GNU `L`/`K`)
 * and read one size field. Returns undefined when the archive holds no regular file.
 */
import type { Readable } from "node:stream";

const block = 512;
const metadataTypes = new Set(["x", "g", "L", "K"]);

export async function readTarFirstFile(
  tar: Readable,
  maxBytes = 4 * 1024 * 1024,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of tar as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    total += buffer.length;
    if (total > maxBytes + 2 * block) {
      tar.destroy();
      throw new Error(`archive larger than ${maxBytes} bytes`);
    }
    chunks.push(buffer);
  }
  return firstFileIn(Buffer.concat(chunks));
}

export function firstFileIn(archive: Buffer): Buffer | undefined {
  let offset = 0;
  while (offset + block <= archive.length) {
    const header = archive.subarray(offset, offset + block);
    if (header.every((byte) => byte === 0)) return undefined;
    const size = parseSize(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] ?? 0);
    const start = offset + block;
    if (type === "0" || type === "\0" || type === "7") {
      if (start + size > archive.length) throw new Error("truncated tar entry");
      return archive.subarray(start, start + size);
    }
    // Links, devices and the like carry no content we could return; directories are skipped.
    if (!metadataTypes.has(type) && type !== "5") return undefined;
    offset = start + Math.ceil(size / block) * block;
  }
  return undefined;
}

function parseSize(field: Buffer): number {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    // GNU base-256: big-endian binary in the remaining bytes.
    let value = 0;
    for (const byte of field.subarray(1)) value = value * 256 + byte;
    return value;
  }
  const text = field.toString("latin1").replace(/\0.*$/s, "").trim();
  return text === "" ? 0 : parseInt(text, 8);
}
