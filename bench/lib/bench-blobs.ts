/**
 * The benchmark's inputs: fixture buildpacks padded with random bytes and app packages made of
 * one big random file plus an index.html, written as zips straight to disk.
 */
import { join } from "node:path";
import { fixturesDir, readTree } from "../../test/kit/fixture-blobs.js";
import { StoredZip } from "../../test/kit/stored-zip.js";

export const MB = 1024 * 1024;

/** `<dir>/<fileName>`: the fixture buildpack `name` plus `padMb` MB of random bytes in `pad.bin`. */
export async function paddedBuildpackZip(
  name: string,
  padMb: number,
  dir: string,
  fileName: string,
): Promise<string> {
  const path = join(dir, fileName);
  const zip = await StoredZip.create(path);
  try {
    for (const entry of await readTree(join(fixturesDir, "buildpacks", name))) {
      if (entry.type === "dir") await zip.addDirectory(entry.path);
      if (entry.type === "file")
        await zip.addFile(entry.path, entry.data ?? Buffer.alloc(0), entry.mode);
    }
    if (padMb > 0) await zip.addRandomFile("pad.bin", padMb * MB);
  } finally {
    await zip.close();
  }
  return path;
}

/** `<dir>/<fileName>`: an app package with `index.html` and `appMb` MB of random bytes in `public/blob.bin`. */
export async function randomAppZip(appMb: number, dir: string, fileName: string): Promise<string> {
  const path = join(dir, fileName);
  const zip = await StoredZip.create(path);
  try {
    await zip.addFile("index.html", Buffer.from("<h1>restager benchmark</h1>\n"));
    await zip.addDirectory("public");
    await zip.addRandomFile("public/blob.bin", appMb * MB);
  } finally {
    await zip.close();
  }
  return path;
}
