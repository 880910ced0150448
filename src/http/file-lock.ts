/**
 * A cross-process lock: a file created with O_EXCL holding the owner's pid. The owner touches it
 * every `refreshMs`; a lock whose pid is gone, or that nobody touched for `staleMs`, is stale
 * (its owner crashed, or the pid was reused) and is removed by the next waiter.
 */
import { open, readFile, stat, unlink, utimes } from "node:fs/promises";
import { CannotWriteError } from "../errors.js";
import { sleep } from "./sleep.js";
import { cancellation } from "../core/cancellation.js";

export interface FileLockOptions {
  staleMs?: number | undefined;
  pollMs?: number | undefined;
  refreshMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface FileLock {
  release(): Promise<void>;
}

/** Waits until `path` can be created, then holds it until release(). */
export async function acquireFileLock(
  path: string,
  options: FileLockOptions = {},
): Promise<FileLock> {
  const staleMs = options.staleMs ?? 120_000;
  for (;;) {
    if (options.signal?.aborted) throw cancellation(options.signal);
    if (await tryCreate(path)) return hold(path, options.refreshMs ?? 20_000);
    if (await removeIfStale(path, staleMs)) continue;
    await sleep(options.pollMs ?? 100, options.signal);
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, "wx");
    try {
      await handle.writeFile(`${process.pid}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new CannotWriteError(`Cannot create the lock file ${path}`, {
      hint: "Check permissions of the cache directory",
      cause: error,
    });
  }
}

function hold(path: string, refreshMs: number): FileLock {
  const timer = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, refreshMs);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    },
  };
}

/** True when a stale lock was removed (or the lock vanished), so the caller retries at once. */
async function removeIfStale(path: string, staleMs: number): Promise<boolean> {
  try {
    const before = await stat(path);
    const pid = Number.parseInt(await readFile(path, "utf8"), 10);
    const abandoned = Number.isInteger(pid) && pid > 0 && !isAlive(pid);
    const untouched = Date.now() - before.mtimeMs > staleMs;
    if (!abandoned && !untouched) return false;
    // Re-check right before removing, so a lock re-created meanwhile is not taken away.
    if ((await stat(path)).ino !== before.ino) return true;
    await unlink(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
