import { setMaxListeners } from "node:events";
import { CancelledError } from "../errors.js";
import { errorMessage } from "../diego/steps/step-errors.js";
import type { DownloadedFile, Downloader, DownloadRequest } from "../http/ports.js";
import { LinkedSignal } from "../core/linked-signal.js";
import { cancellation } from "../core/cancellation.js";
import type { Checksum } from "../core/checksums.js";
import type { Logger } from "../core/events.js";

/** A download to start early: the identity a later download request is matched on. */
export interface PrefetchRequest {
  url: string;
  cacheKey: string;
  checksum?: Checksum | undefined;
}

type Progress = (bytes: number, totalBytes: number | undefined) => void;

/** Progress seen so far, relayed to the step once it takes the prefetch. */
interface ProgressRelay {
  last?: [number, number | undefined];
  consumer?: Progress | undefined;
}

interface Prefetch {
  readonly result: Promise<DownloadedFile>;
  readonly progress: ProgressRelay;
}

/**
 * A Downloader that can start downloads before anyone asks for them (the task's download
 * actions, while the cached dependencies are prepared). A download request for the same url,
 * cache key and checksum takes the prefetched result, in flight or finished, once; anything
 * else downloads normally. A prefetch's failure surfaces only when a step asks for it, so
 * `try` actions keep their meaning. close() aborts what is still in flight and releases every
 * file nobody took.
 */
export class PrefetchingDownloader implements Downloader {
  readonly #inner: Downloader;
  readonly #logger: Logger;
  readonly #scope: LinkedSignal;
  readonly #waiting = new Map<string, Prefetch>();
  /** Taken and then given up by their consumer (its signal aborted): released at close. */
  readonly #abandoned: Prefetch[] = [];

  constructor(inner: Downloader, signal: AbortSignal, logger: Logger) {
    this.#inner = inner;
    this.#logger = logger;
    this.#scope = new LinkedSignal(signal, 64);
  }

  /** Starts the downloads not started yet; returns at once. */
  prefetch(requests: readonly PrefetchRequest[]): void {
    if (this.#scope.signal.aborted) return;
    // A download holds a few abort listeners at once (request, lock, backoff).
    const listeners = 8 * (this.#waiting.size + requests.length);
    if (listeners > 64) setMaxListeners(listeners, this.#scope.signal);
    for (const request of requests) {
      const key = keyOf(request);
      if (this.#waiting.has(key)) continue;
      const progress: ProgressRelay = {};
      const onProgress: Progress = (bytes, total) => {
        progress.last = [bytes, total];
        progress.consumer?.(bytes, total);
      };
      const result = this.#inner.download({ ...request, signal: this.#scope.signal, onProgress });
      // Surfaced when a step takes it; never an unhandled rejection meanwhile.
      result.catch(() => undefined);
      this.#waiting.set(key, { result, progress });
      this.#logger.debug("prefetch-started", { cacheKey: request.cacheKey });
    }
  }

  download(request: DownloadRequest): Promise<DownloadedFile> {
    const key = keyOf(request);
    const prefetch = this.#waiting.get(key);
    if (!prefetch) return this.#inner.download(request);
    this.#waiting.delete(key);
    this.#logger.debug("prefetch-used", { cacheKey: request.cacheKey });
    const { progress } = prefetch;
    progress.consumer = request.onProgress;
    if (progress.last && request.onProgress) request.onProgress(...progress.last);
    return this.#await(prefetch, request.signal);
  }

  /** Aborts prefetches in flight and releases the files nobody took. Idempotent. */
  async close(): Promise<void> {
    const leftovers = [...this.#waiting.values(), ...this.#abandoned.splice(0)];
    this.#waiting.clear();
    this.#scope.abort(new CancelledError("prefetch no longer needed"));
    this.#scope.dispose();
    for (const prefetch of leftovers) {
      const file = await prefetch.result.catch(() => undefined);
      await file?.release().catch((error: unknown) => {
        this.#logger.debug("prefetch-release-failed", { error: errorMessage(error) });
      });
    }
    if (leftovers.length > 0) this.#logger.debug("prefetch-unused", { count: leftovers.length });
  }

  /** The prefetch's result, unless `signal` aborts first; then the file is kept for close(). */
  #await(prefetch: Prefetch, signal: AbortSignal | undefined): Promise<DownloadedFile> {
    if (!signal) return prefetch.result;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        prefetch.progress.consumer = undefined;
        this.#abandoned.push(prefetch);
        reject(cancellation(signal));
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
      const settled = () => signal.removeEventListener("abort", onAbort);
      void prefetch.result.finally(settled).then(resolve, reject);
    });
  }
}

function keyOf(request: PrefetchRequest): string {
  const { checksum } = request;
  const sum = checksum ? `${checksum.algorithm}:${checksum.value.toLowerCase()}` : "";
  return JSON.stringify([request.url, request.cacheKey, sum]);
}
