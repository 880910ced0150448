/** Diego's file server: `/v1/static/<path>` serves registered blobs (the lifecycle tarball). */
import { registerBlob, serveBlob, type BlobFile } from "./blob-file.js";
import { sendText, type Exchange } from "./exchange.js";

const PREFIX = "/v1/static/";

export interface StaticFile extends BlobFile {
  /** The file's URL as seen from `host` (default: the advertised host). */
  url(host?: string): string;
}

export class FileServer {
  readonly #files = new Map<string, StaticFile>();
  readonly #baseUrl: (host?: string) => string;

  /** `baseUrl` gives `http://<host>:<port>` of this server. */
  constructor(baseUrl: (host?: string) => string) {
    this.#baseUrl = baseUrl;
  }

  /** Serves `filePath` at `/v1/static/<path>` (e.g. `buildpack_app_lifecycle/buildpack_app_lifecycle.tgz`). */
  async add(path: string, filePath: string): Promise<StaticFile> {
    const relative = path.replace(/^\/+/, "");
    // Opaque, non-32-hex ETag on purpose: executors before 2016-06 treated a 32-hex ETag as the
    // body's MD5 and failed the download on mismatch (docs/diego.md §3.2 step 4).
    const blob = await registerBlob(filePath, (d) => `"lc-${d.sha256.slice(0, 20)}"`);
    const file: StaticFile = {
      ...blob,
      url: (host) => `${this.#baseUrl(host)}${PREFIX}${relative}`,
    };
    this.#files.set(relative, file);
    return file;
  }

  readonly handle = async (ex: Exchange): Promise<void> => {
    const file = ex.path.startsWith(PREFIX)
      ? this.#files.get(decodeURIComponent(ex.path.slice(PREFIX.length)))
      : undefined;
    if (file === undefined) return sendText(ex, 404, "404 page not found\n");
    return serveBlob(ex, file);
  };
}
