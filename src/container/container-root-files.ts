/**
 * Reads and creates files in a running container through its root as this host sees it
 * (`/proc/<pid>/root`), with no engine request: only where the engine runs on this host and
 * restager may enter other processes' roots (root); the caller makes sure `pid` is the
 * container's (hostPidOf). The container is not trusted: every
 * directory on the way is opened without following symbolic links (each through the last one's
 * descriptor, `/proc/self/fd/N/next`), so that a link the container planted cannot lead the
 * write out of it onto this host.
 */
import { closeSync, constants, fchownSync, fstatSync, openSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import type Docker from "dockerode";

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
  if (posix.dirname(file.ownerOf) !== dir) return false;
  const opened: number[] = [];
  try {
    const at = openDirectory(pid, dir, opened);
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

/**
 * A descriptor of the regular file at `path` in the container, opened for reading (the caller
 * closes it), with its size and mode; undefined when there is none there or it cannot be opened from
 * here (a symbolic link on the way or at the end, another kind of file, no permission).
 */
export function openInContainerRoot(
  pid: number,
  path: string,
): { fd: number; sizeBytes: number; mode: number } | undefined {
  const opened: number[] = [];
  try {
    const at = openDirectory(pid, posix.dirname(path), opened);
    const fd = openSync(inside(at, path), O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    const { mode, size } = fstatSync(fd);
    if ((mode & constants.S_IFMT) === constants.S_IFREG) return { fd, sizeBytes: size, mode };
    closeSync(fd);
    return undefined;
  } catch {
    return undefined;
  } finally {
    for (const fd of opened) closeSync(fd);
  }
}

/**
 * The content of the regular file at `path` in the container, opened as openInContainerRoot
 * opens it; undefined when that cannot be done from here.
 */
export function readInContainerRoot(pid: number, path: string): Buffer | undefined {
  const opened = openInContainerRoot(pid, path);
  if (opened === undefined) return undefined;
  try {
    return readFileSync(opened.fd);
  } catch {
    return undefined;
  } finally {
    closeSync(opened.fd);
  }
}

/**
 * True when `path` is a directory of the container reached without links; undefined otherwise
 * (missing, a link on the way, not a directory, not readable from here): only a yes is an answer,
 * the caller asks inside the container for anything else.
 */
export function isDirInContainerRoot(pid: number, path: string): true | undefined {
  const opened: number[] = [];
  try {
    openDirectory(pid, path, opened);
    return true;
  } catch {
    return undefined;
  } finally {
    for (const fd of opened) closeSync(fd);
  }
}

/**
 * True when one of the absolute directories `dirs` (a PATH) holds a regular file `name` that
 * someone may execute, each reached without links; undefined otherwise (only a yes is an
 * answer, as for isDirInContainerRoot).
 */
export function hasExecutableInContainerRoot(
  pid: number,
  name: string,
  dirs: readonly string[],
): true | undefined {
  for (const dir of dirs) {
    if (!dir.startsWith("/")) continue;
    const opened = openInContainerRoot(pid, posix.join(dir, name));
    if (opened === undefined) continue;
    closeSync(opened.fd);
    if ((opened.mode & 0o111) !== 0) return true;
  }
  return undefined;
}

/**
 * Opens the container's root and each directory of `dir` in turn, never following a link;
 * every descriptor goes to `opened` (the caller closes them). Answers the last one.
 */
function openDirectory(pid: number, dir: string, opened: number[]): number {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error("no process to enter");
  opened.push(openSync(`/proc/${pid}/root`, O_RDONLY | O_DIRECTORY));
  for (const part of dir.split("/").filter((p) => p !== "")) {
    const parent = opened.at(-1) ?? -1;
    opened.push(openSync(`/proc/self/fd/${parent}/${part}`, O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
  }
  return opened.at(-1) ?? -1;
}

/** The file named by `path`'s last part, in the open directory `dirFd`. */
function inside(dirFd: number, path: string): string {
  return `/proc/self/fd/${dirFd}/${posix.basename(path)}`;
}

/**
 * The container's main process as this host sees it, while it runs and the engine runs here:
 * the engine's pid for it, if this host's process of that number is in the container's cgroup
 * (its path names the container's id); undefined otherwise (an engine elsewhere numbers its
 * own processes).
 */
export async function hostPidOf(container: Docker.Container): Promise<number | undefined> {
  const info = await container.inspect().catch(() => undefined);
  if (info?.State.Running !== true) return undefined;
  return containerPid(info.State.Pid, info.Id);
}

/** `pid` when this host's process of that number is in the cgroup of container `containerId`. */
export function containerPid(pid: number, containerId: string): number | undefined {
  if (!Number.isInteger(pid) || pid <= 0 || containerId.length < 12) return undefined;
  try {
    const cgroups = readFileSync(`/proc/${pid}/cgroup`, "utf8");
    return cgroups.includes(containerId) ? pid : undefined;
  } catch {
    return undefined;
  }
}
