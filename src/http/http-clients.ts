/**
 * The composition root's view of src/http: one shared transport (so one connection pool and one
 * `--resolve` map) behind the downloader and the uploader, closed together.
 */
import type { Downloader, Uploader, UploadResult } from "./ports.js";
import { CachedDownloader } from "./cached-downloader.js";
import { HttpTransport, type HttpTransportOptions } from "./http-transport.js";
import { HttpUploader } from "./http-uploader.js";
import { parseResolveSpec } from "./resolve-map.js";

export interface HttpClientsOptions {
  /** Download cache root, e.g. defaultCacheDir(env). */
  cacheDir: string;
  /** `--resolve HOST[:PORT]=ADDR[:PORT]` values; an invalid one throws UsageError. */
  resolve?: readonly string[] | undefined;
  /** false (`--no-upload`): the uploader sends nothing and answers `{ status: 0, attempts: 0, skipped: true }`. */
  upload?: boolean | undefined;
  /** Timeouts and TLS material; the resolve map comes from `resolve`. */
  transport?: Omit<HttpTransportOptions, "resolveMap"> | undefined;
}

export interface HttpClients {
  downloader: Downloader;
  uploader: Uploader;
  close(): Promise<void>;
}

export function createHttpClients(options: HttpClientsOptions): HttpClients {
  const resolveMap = (options.resolve ?? []).map(parseResolveSpec);
  const transport = new HttpTransport({ ...options.transport, resolveMap });
  const uploader: Uploader =
    options.upload === false ? { upload: skipUpload } : new HttpUploader({ transport });
  return {
    downloader: new CachedDownloader({ cacheDir: options.cacheDir, transport }),
    uploader,
    close: () => transport.close(),
  };
}

/** `--no-upload`: nothing is sent; status 0 says so. */
function skipUpload(): Promise<UploadResult> {
  return Promise.resolve({ status: 0, attempts: 0, skipped: true });
}
