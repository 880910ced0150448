/** A tar of a few small in-memory files (certificates, credentials), in the order given. */
import { tarEnd, tarPadding } from "../core/tar-blocks.js";
import type { SmallFile } from "./ports.js";
import { encodeTarHeader } from "./tar-header.js";

export function smallFilesTar(files: readonly SmallFile[], mtime = new Date(0)): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    const size = file.content?.length ?? 0;
    const type = file.content === undefined ? "Directory" : "File";
    blocks.push(encodeTarHeader({ ...file, type, size, mtime }));
    if (file.content) blocks.push(file.content, tarPadding(size));
  }
  blocks.push(tarEnd);
  return Buffer.concat(blocks);
}
