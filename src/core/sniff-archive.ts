import { open } from "node:fs/promises";

export type ArchiveFormat = "gzip" | "zip" | "tar";

const ustarOffset = 257;

/**
 * Identifies an archive by its first 512 bytes, as Diego's TarTransform does: gzip magic
 * `1f 8b`, zip `PK\x03\x04` (or `PK\x05\x06`, an empty zip), or `ustar` at offset 257.
 * Anything else is undefined.
 */
export async function sniffArchive(path: string): Promise<ArchiveFormat | undefined> {
  const handle = await open(path, "r");
  const head = Buffer.alloc(512);
  let length: number;
  try {
    ({ bytesRead: length } = await handle.read(head, 0, head.length, 0));
  } finally {
    await handle.close();
  }
  if (length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  const magic = head.toString("latin1", 0, 4);
  if (length >= 4 && (magic === "PK\x03\x04" || magic === "PK\x05\x06")) return "zip";
  if (
    length >= ustarOffset + 5 &&
    head.toString("latin1", ustarOffset, ustarOffset + 5) === "ustar"
  ) {
    return "tar";
  }
  return undefined;
}
