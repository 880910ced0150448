/**
 * Writes small files straight into a container's volume on this host: the directory the engine
 * reports as the volume's source (`/var/lib/docker/volumes/ID/_data`). That works only where
 * the engine keeps its volumes on this host's filesystem and restager may write there (root):
 * elsewhere (a remote or rootless engine, Docker Desktop's VM, no permission) the caller falls
 * back to the engine's archive API, which costs an engine request per write.
 */
import {
  closeSync,
  fchmodSync,
  fchownSync,
  futimesSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

export interface VolumeFile {
  name: string;
  content: Buffer;
}

/**
 * Writes the files root-owned 0644 with `mtime`, in order, each beside its place first and then
 * renamed into it, so the container never reads half a file and sees the last file last. False,
 * with nothing half-written left, when the volume cannot be written from here.
 *
 * Synchronous on purpose: a cell's files are a few KiB each, but the trusted certificates are
 * ~150 files, and five thread-pool round trips per file cost 70–120 ms on a busy machine where
 * the system calls themselves take a few.
 */
export function writeVolumeFiles(
  source: string,
  files: readonly VolumeFile[],
  mtime: Date,
): boolean {
  for (const file of files) {
    const partial = join(source, `.${file.name}.partial`);
    try {
      writeWhole(partial, file.content, mtime);
      renameSync(partial, join(source, file.name));
    } catch {
      rmSync(partial, { force: true });
      return false;
    }
  }
  return true;
}

function writeWhole(path: string, content: Buffer, mtime: Date): void {
  const fd = openSync(path, "w", 0o644);
  try {
    for (let at = 0; at < content.length;) at += writeSync(fd, content, at);
    fchmodSync(fd, 0o644);
    fchownSync(fd, 0, 0);
    futimesSync(fd, mtime, mtime);
  } finally {
    closeSync(fd);
  }
}
