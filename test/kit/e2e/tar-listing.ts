/** Lists a droplet the way a user would check it: it must be gzip, then a tar. */
import { open } from "node:fs/promises";
import { list } from "tar";

/** Entry names of the gzipped tarball at `path`; rejects when it is not gzip-compressed. */
export async function tarEntryNames(path: string): Promise<string[]> {
  const file = await open(path);
  try {
    const magic = Buffer.alloc(2);
    await file.read(magic, 0, 2, 0);
    if (magic[0] !== 0x1f || magic[1] !== 0x8b) throw new Error(`${path} is not gzip-compressed`);
  } finally {
    await file.close();
  }
  const names: string[] = [];
  await list({ file: path, onReadEntry: (entry) => names.push(entry.path) });
  return names;
}
