/**
 * The CC blobstore (WebDAV/nginx style): `/read/<bucket>/<key>` with a signed, expiring
 * query; plus the v2 build-artifacts-cache download CC offers over basic auth.
 */
import { hasBasicAuth, sendUnauthorized, type Credentials } from "./basic-auth.js";
import { registerBlob, serveBlob, type BlobFile } from "./blob-file.js";
import type { Digests } from "./digests.js";
import { sendText, type Exchange } from "./exchange.js";
import { S3_ERRORS, sendS3Error } from "./s3-error.js";
import { UrlSigner } from "./url-signer.js";

const BUCKETS = ["cc-packages", "cc-buildpacks", "cc-droplets"];
const CACHE_DOWNLOAD = /^\/staging\/buildpack_cache\/([^/]+)\/download$/;

export interface SignedUrlOptions {
  host?: string;
  /** Unix seconds; default now + the fake's TTL. A past value gives an expired URL. */
  expires?: number;
}

export interface StoredBlob extends BlobFile {
  key: string;
  signedUrl(options?: SignedUrlOptions): string;
}

export interface BlobstoreOptions {
  baseUrl: (host?: string) => string;
  credentials: Credentials;
  ttlSeconds: number;
}

export class Blobstore {
  readonly #blobs = new Map<string, StoredBlob>();
  readonly #caches = new Map<string, BlobFile>();
  readonly #signer = new UrlSigner();
  readonly #options: BlobstoreOptions;

  constructor(options: BlobstoreOptions) {
    this.#options = options;
  }

  /** Serves `filePath` at `/read/<key>`; `key` starts with cc-packages/, cc-buildpacks/ or cc-droplets/. */
  async add(key: string, filePath: string, digests?: Digests): Promise<StoredBlob> {
    if (!BUCKETS.some((bucket) => key.startsWith(`${bucket}/`))) {
      throw new Error(`blob key must start with one of ${BUCKETS.join(", ")}: ${key}`);
    }
    const blob = await registerBlob(filePath, nginxEtag, digests);
    const path = `/read/${key}`;
    const stored: StoredBlob = {
      ...blob,
      key,
      signedUrl: (options = {}) => {
        const expires = options.expires ?? Math.floor(Date.now() / 1000) + this.#options.ttlSeconds;
        return `${this.#options.baseUrl(options.host)}${path}?${this.#signer.sign(path, expires)}`;
      },
    };
    this.#blobs.set(path, stored);
    return stored;
  }

  get(key: string): StoredBlob | undefined {
    return this.#blobs.get(`/read/${key}`);
  }

  /** Makes `blob` the app's build artifacts cache (what CC stored from the last staging). */
  setBuildCache(appGuid: string, blob: BlobFile): void {
    this.#caches.set(appGuid, blob);
  }

  /** The v2 cache download URL, with the basic-auth credentials in it (as CC wrote it). */
  buildCacheUrl(appGuid: string, host?: string): string {
    const url = new URL(
      `/staging/buildpack_cache/${appGuid}/download`,
      this.#options.baseUrl(host),
    );
    url.username = this.#options.credentials.username;
    url.password = this.#options.credentials.password;
    return url.toString();
  }

  readonly handle = async (ex: Exchange): Promise<void> => {
    const cache = CACHE_DOWNLOAD.exec(ex.path);
    if (cache !== null) return this.#serveCache(ex, cache[1] ?? "");
    const blob = this.#blobs.get(ex.path);
    if (blob === undefined) return sendS3Error(ex, S3_ERRORS.noSuchKey);
    const check = this.#signer.check(ex.path, ex.query, Math.floor(Date.now() / 1000));
    if (check === "expired") return sendS3Error(ex, S3_ERRORS.expired);
    if (check === "invalid") return sendS3Error(ex, S3_ERRORS.badSignature);
    return serveBlob(ex, blob);
  };

  async #serveCache(ex: Exchange, appGuid: string): Promise<void> {
    if (!hasBasicAuth(ex.req, this.#options.credentials)) return sendUnauthorized(ex);
    const blob = this.#caches.get(appGuid);
    if (blob === undefined) return sendText(ex, 404, "no build artifacts cache\n");
    return serveBlob(ex, blob);
  }
}

/** nginx's ETag: `"<mtime hex>-<size hex>"` (never 32 hex, so old executors do not treat it as MD5). */
function nginxEtag(digests: Digests, lastModified: Date): string {
  return `"${(lastModified.getTime() / 1000).toString(16)}-${digests.size.toString(16)}"`;
}
