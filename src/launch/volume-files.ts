/**
 * Writes small files straight into a container's volume on this host: the directory the engine
 * reports as the volume's source (`/var/lib/docker/volumes/ID/_data`). That works only where
 * the engine keeps its volumes on this host's filesystem and restager may write there (root):
 * elsewhere (a remote or rootless engine, Docker Desktop's VM, no permission) the caller falls
 * back to the engine's archive API, which costs an engine request per write.
 */
import { chmod, chown, rename, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface VolumeFile {
  name: string;
  content: Buffer;
}

/**
 * Writes the files root-owned 0644 with `mtime`, in order, each beside its place first and then
 * renamed into it, so the container never reads half a file and sees the last file last. False,
 * with nothing half-written left, when the volume cannot be written from here.
 */
export async function writeVolumeFiles(
  source: string,
  files: readonly VolumeFile[],
  mtime: Date,
): Promise<boolean> {
  for (const file of files) {
    const path = join(source, file.name);
    const partial = join(source, `.${file.name}.partial`);
    try {
      await writeFile(partial, file.content, { mode: 0o644 });
      await chmod(partial, 0o644);
      await chown(partial, 0, 0);
      await utimes(partial, mtime, mtime);
      await rename(partial, path);
    } catch {
      await rm(partial, { force: true }).catch(() => undefined);
      return false;
    }
  }
  return true;
}
