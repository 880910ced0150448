/**
 * Serialises work per key: calls in this process queue on a promise chain, and each holder also
 * takes a lock file so other restager processes sharing the cache wait too.
 */
import { acquireFileLock, type FileLockOptions } from "./file-lock.js";
import { cancellation } from "../core/cancellation.js";

export class KeyLock {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #options: Omit<FileLockOptions, "signal">;

  constructor(options: Omit<FileLockOptions, "signal"> = {}) {
    this.#options = options;
  }

  /** Runs `fn` while holding the lock whose file is `lockPath`. */
  async run<T>(lockPath: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.#tails.get(lockPath) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = previous.then(() => mine);
    this.#tails.set(lockPath, tail);
    try {
      await untilSettledOrAborted(previous, signal);
      const fileLock = await acquireFileLock(lockPath, { ...this.#options, signal });
      try {
        return await fn();
      } finally {
        await fileLock.release();
      }
    } finally {
      done();
      if (this.#tails.get(lockPath) === tail) this.#tails.delete(lockPath);
    }
  }
}

function untilSettledOrAborted(promise: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancellation(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(cancellation(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.finally(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
