/**
 * Downloader with Diego's cacheddownloader semantics: entries keyed by cache_key, revalidated
 * with If-None-Match / If-Modified-Since, stored only when the response has an ETag or a
 * Last-Modified, checksum verified before anything is committed, transient failures retried.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Downloader, DownloadedFile, DownloadRequest } from "./ports.js";
import { createTempDownloadDir, DownloadCache, type CacheEntry } from "./download-cache.js";
import { entryMatchesChecksum, verifyChecksum } from "./checksums.js";
import { classifyDownloadFailure, classifyDownloadStatus } from "./download-failures.js";
import type { FileLockOptions } from "./file-lock.js";
import { HttpTransport, type HttpResponse, type HttpTransportOptions } from "./http-transport.js";
import { KeyLock } from "./key-lock.js";
import { redactUrl } from "../core/redact.js";
import {
  downloadRetryPolicy,
  retryWithBackoff,
  type RetryPolicy,
  type RetryTiming,
} from "./retry.js";
import { streamToFile } from "./stream-to-file.js";
import { cancellation } from "../core/cancellation.js";

export interface CachedDownloaderOptions {
  /** Cache root, e.g. defaultCacheDir(process.env). */
  cacheDir: string;
  /** A transport shared with other clients; when absent one is made (and closed by close()). */
  transport?: HttpTransport | undefined;
  transportOptions?: HttpTransportOptions | undefined;
  retryPolicy?: RetryPolicy | undefined;
  timing?: RetryTiming | undefined;
  lock?: Omit<FileLockOptions, "signal"> | undefined;
  /** Where bodies that are not cached are written (default: the OS temp dir). */
  tempDir?: string | undefined;
}

export class CachedDownloader implements Downloader {
  readonly #cache: DownloadCache;
  readonly #transport: HttpTransport;
  readonly #ownsTransport: boolean;
  readonly #locks: KeyLock;
  readonly #options: CachedDownloaderOptions;

  constructor(options: CachedDownloaderOptions) {
    this.#options = options;
    this.#cache = new DownloadCache(options.cacheDir);
    this.#ownsTransport = options.transport === undefined;
    this.#transport = options.transport ?? new HttpTransport(options.transportOptions);
    this.#locks = new KeyLock(options.lock);
  }

  async download(request: DownloadRequest): Promise<DownloadedFile> {
    if (request.signal?.aborted) throw cancellation(request.signal);
    if (request.cacheKey === "") return this.#fetch(request, undefined);
    const key = request.cacheKey;
    await this.#cache.ensureEntryDir(key);
    const before = (await this.#cache.read(key))?.meta.id;
    const underLock = async (): Promise<DownloadedFile> => {
      await this.#cache.removeLeftovers(key);
      const stored = await this.#cache.read(key);
      const entry =
        stored && (await entryMatchesChecksum(stored, request.checksum)) ? stored : undefined;
      // Someone else stored it while we waited for the lock: reuse it without asking again.
      if (entry && entry.meta.id !== before) return cachedFile(entry, true);
      return this.#fetch(request, entry);
    };
    return this.#locks.run(this.#cache.lockPath(key), underLock, request.signal);
  }

  /** Closes the transport when this downloader created it. */
  async close(): Promise<void> {
    if (this.#ownsTransport) await this.#transport.close();
  }

  #fetch(request: DownloadRequest, entry: CacheEntry | undefined): Promise<DownloadedFile> {
    const attempt = (): Promise<DownloadedFile> => this.#attempt(request, entry);
    return retryWithBackoff(attempt, this.#options.retryPolicy ?? downloadRetryPolicy, {
      ...this.#options.timing,
      signal: request.signal,
    });
  }

  async #attempt(request: DownloadRequest, entry: CacheEntry | undefined): Promise<DownloadedFile> {
    let response: HttpResponse;
    try {
      response = await this.#transport.send({
        method: "GET",
        url: request.url,
        headers: conditionalHeaders(entry),
        signal: request.signal,
        followRedirects: true,
      });
    } catch (error) {
      throw classifyDownloadFailure(error, request);
    }
    if (response.status === 304 && entry) {
      response.body.resume();
      return cachedFile(entry, true);
    }
    if (response.status !== 200) {
      response.body.resume();
      throw classifyDownloadStatus(response.status, request.url);
    }
    return this.#receive(request, response);
  }

  async #receive(request: DownloadRequest, response: HttpResponse): Promise<DownloadedFile> {
    const etag = response.header("etag");
    const lastModified = response.header("last-modified");
    const storable = request.cacheKey !== "" && (etag !== undefined || lastModified !== undefined);
    let tempDir: string | undefined;
    let path: string | undefined;
    try {
      tempDir = storable ? undefined : await createTempDownloadDir(this.#options.tempDir);
      path = tempDir ? join(tempDir, "body") : this.#cache.tempBodyPath(request.cacheKey);
      const file = await streamToFile(response.body, path, {
        totalBytes: parseLength(response.header("content-length")),
        onProgress: request.onProgress,
        signal: request.signal,
        algorithms: request.checksum ? ["sha256", request.checksum.algorithm] : ["sha256"],
      });
      verifyChecksum(request.checksum, file);
      if (tempDir)
        return temporaryFile(tempDir, {
          path,
          sizeBytes: file.sizeBytes,
          sha256Hex: file.digests.sha256,
        });
      const entry = await this.#cache.commit(request.cacheKey, path, {
        etag,
        lastModified,
        size: file.sizeBytes,
        url: redactUrl(request.url),
        digests: file.digests,
      });
      return cachedFile(entry, false);
    } catch (error) {
      response.body.destroy();
      const leftover = tempDir ?? path;
      if (leftover !== undefined) await rm(leftover, { recursive: true, force: true });
      throw classifyDownloadFailure(error, request);
    }
  }
}

function conditionalHeaders(entry: CacheEntry | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (entry?.meta.etag !== undefined) headers["if-none-match"] = entry.meta.etag;
  if (entry?.meta.lastModified !== undefined) {
    headers["if-modified-since"] = entry.meta.lastModified;
  }
  return headers;
}

function parseLength(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function cachedFile(entry: CacheEntry, fromCache: boolean): DownloadedFile {
  return {
    path: entry.bodyPath,
    sizeBytes: entry.meta.size,
    fromCache,
    sha256Hex: entry.meta.digests.sha256,
    release: () => Promise.resolve(),
  };
}

/** `file` in the temporary directory `dir`, which release() removes. */
function temporaryFile(
  dir: string,
  {
    path,
    sizeBytes,
    sha256Hex,
  }: { path: string; sizeBytes: number; sha256Hex?: string | undefined },
): DownloadedFile {
  return {
    path,
    sizeBytes,
    fromCache: false,
    sha256Hex,
    release: () => rm(dir, { recursive: true, force: true }),
  };
}
