/**
 * The HTTP ports the steps use. Implementations live in src/http/ (undici); the step code only
 * sees these shapes.
 */
import type { Readable } from "node:stream";
import type { Checksum } from "../core/checksums.js";

export interface DownloadRequest {
  url: string;
  /** "" = do not cache. */
  cacheKey: string;
  checksum?: Checksum | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((bytes: number, totalBytes: number | undefined) => void) | undefined;
}

export interface DownloadedFile {
  /** A file on the host holding the complete, verified body. Valid until `release()`. */
  path: string;
  sizeBytes: number;
  /** True when the bytes came from the cache (304 or a still-valid entry). */
  fromCache: boolean;
  /** Lower-case hex SHA-256 of the body, when the downloader knows it (CachedDownloader does). */
  sha256Hex?: string | undefined;
  /** Removes a temporary (uncached) file; a no-op for cache entries. */
  release(): Promise<void>;
}

export interface Downloader {
  download(request: DownloadRequest): Promise<DownloadedFile>;
}

export interface UploadRequest {
  url: string;
  body: () => Readable;
  sizeBytes: number;
  md5Base64: string;
  sha256Base64: string;
  signal?: AbortSignal | undefined;
  onProgress?: ((bytes: number) => void) | undefined;
}

export interface UploadResult {
  status: number;
  attempts: number;
  /** True when nothing was sent on purpose (`restage --no-upload`). */
  skipped?: boolean | undefined;
}

export interface Uploader {
  /** POSTs the body, retrying up to 3 attempts; throws UploadError on the last failure. */
  upload(request: UploadRequest): Promise<UploadResult>;
}

export interface JsonPostOptions {
  /** Statuses worth another attempt. */
  retryOn: readonly number[];
  maxAttempts: number;
  /** How long to wait before a retry; the poster's own backoff when absent. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
}

export interface JsonPostResult {
  status: number;
  /** The start of the answer's body, as text. */
  bodyText: string;
  attempts: number;
}

export interface JsonPoster {
  /**
   * POSTs `body` as JSON, retrying the statuses in `retryOn` and network failures; any final
   * status is returned, not thrown, so the caller decides what a 4xx means.
   */
  post(url: string, body: unknown, options: JsonPostOptions): Promise<JsonPostResult>;
}
