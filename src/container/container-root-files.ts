/**
 * Creates a small file in a running container through its root as this host sees it
 * (`/proc/<pid>/root`), with no engine request: only where the engine runs on this host and
 * restager may enter other processes' roots (root). The container is not trusted: every
 * directory on the way is opened without following symbolic links (each through the last one's
 * descriptor, `/proc/self/fd/N/next`), so that a link the container planted cannot lead the
 * write out of it onto this host.
 */
import { closeSync, constants, fchownSync, fstatSync, openSync } from "node:fs";
import { posix } from "node:path";

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK, O_WRONLY, O_CREAT } = constants;

/**
 * An empty file at `path` (kept as it is when it exists), owned like the regular file `ownerOf`
 * in the same directory. False when that cannot be done from here.
 */
export function touchInContainerRoot(
  pid: number,
  file: { path: string; ownerOf: string },
): boolean {
  const dir = posix.dirname(file.path);
  if (pid <= 0 || posix.dirname(file.ownerOf) !== dir) return false;
  const opened: number[] = [];
  try {
    opened.push(openSync(`/proc/${pid}/root`, O_RDONLY | O_DIRECTORY));
    for (const part of dir.split("/").filter((p) => p !== "")) {
      const parent = opened.at(-1) ?? -1;
      opened.push(openSync(`/proc/self/fd/${parent}/${part}`, O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
    }
    const at = opened.at(-1) ?? -1;
    // Not blocking: a FIFO in a file's place would hold the open forever.
    const owner = openSync(inside(at, file.ownerOf), O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    opened.push(owner);
    const { uid, gid, mode } = fstatSync(owner);
    if ((mode & constants.S_IFMT) !== constants.S_IFREG) return false;
    const flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK;
    const created = openSync(inside(at, file.path), flags, 0o644);
    opened.push(created);
    // A file that was there already and is also elsewhere (a hard link) keeps its owner.
    const made = fstatSync(created);
    if ((made.mode & constants.S_IFMT) !== constants.S_IFREG || made.nlink !== 1) return false;
    fchownSync(created, uid, gid);
    return true;
  } catch {
    return false;
  } finally {
    for (const fd of opened) closeSync(fd);
  }
}

/** The file named by `path`'s last part, in the open directory `dirFd`. */
function inside(dirFd: number, path: string): string {
  return `/proc/self/fd/${dirFd}/${posix.basename(path)}`;
}
