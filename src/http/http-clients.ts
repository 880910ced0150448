/**
 * The composition root's view of src/http: one shared transport (so one connection pool and one
 * `--resolve` map) behind the downloader and the uploader, closed together.
 */
import type { Downloader, Uploader, UploadResult } from "./ports.js";
import { CachedDownloader } from "./cached-downloader.js";
import { HttpTransport, type HttpTransportOptions } from "./http-transport.js";
import { HttpUploader } from "./http-uploader.js";
import { parseResolveSpec } from "./resolve-map.js";
import type { TlsSettings } from "./tls-settings.js";

export interface HttpClientsOptions {
  /** Download cache root, e.g. defaultCacheDir(env). */
  cacheDir: string;
  /** `--resolve HOST[:PORT]=ADDR[:PORT]` values; an invalid one throws UsageError. */
  resolve?: readonly string[] | undefined;
  /** false (`--no-upload`): the uploader sends nothing and answers `{ status: 0, attempts: 0, skipped: true }`. */
  upload?: boolean | undefined;
  /** `--cacert`, `--cert`/`--key`, `--insecure`: for every download and upload. */
  tls?: TlsSettings | undefined;
  /** Timeouts; the resolve map and TLS come from `resolve` and `tls`. */
  transport?: Omit<HttpTransportOptions, "resolveMap" | "tls"> | undefined;
}

export interface HttpClients {
  downloader: Downloader;
  uploader: Uploader;
  close(): Promise<void>;
}

export function createHttpClients(options: HttpClientsOptions): HttpClients {
  const resolveMap = (options.resolve ?? []).map(parseResolveSpec);
  const transport = new HttpTransport({ ...options.transport, resolveMap, tls: options.tls });
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
