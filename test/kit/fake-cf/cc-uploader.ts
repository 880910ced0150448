/**
 * cc-uploader (docs/diego.md §5.1–§5.2): streams the executor's raw upload, as it arrives, to
 * the CC URI from the query as multipart/form-data and, for droplets, waits for CC's job. It
 * never holds the body and never checks it: CC does (cc-uploads.ts), and its refusal comes back
 * as `status code: <n>\n<CC's body>`. Answer texts are the real ones (no trailing newline).
 */
import { CcClientError, pollJob, postMultipart, type CcClientTls } from "./cc-client.js";
import { sendBody, sendText, type Exchange } from "./exchange.js";
import { headerValue } from "./integrity.js";

interface UploadKind {
  param: string;
  filename: string;
  /** Droplets go through CC's async job; build artifacts do not. */
  async: boolean;
  success: number;
}

const DROPLET: UploadKind = {
  param: "cc-droplet-upload-uri",
  filename: "droplet.tgz",
  async: true,
  success: 201,
};
const BUILD_ARTIFACTS: UploadKind = {
  param: "cc-build-artifacts-upload-uri",
  filename: "buildpack_cache.tgz",
  async: false,
  success: 200,
};
const DEFAULT_TIMEOUT_SECONDS = 300;

export interface CcUploaderOptions {
  jobPollIntervalMs: number;
  /** The identity presented to CC's mutual-TLS API (https CC URIs). */
  tls?: CcClientTls | undefined;
}

export class CcUploader {
  readonly #options: CcUploaderOptions;

  constructor(options: CcUploaderOptions) {
    this.#options = options;
  }

  readonly handle = async (ex: Exchange): Promise<void> => {
    const kind = /^\/v1\/droplet\/[^/]+$/.test(ex.path)
      ? DROPLET
      : /^\/v1\/build_artifacts\/[^/]+$/.test(ex.path)
        ? BUILD_ARTIFACTS
        : undefined;
    if (kind === undefined || ex.method !== "POST")
      return sendText(ex, 404, "404 page not found\n");
    const target = parseTarget(ex, kind);
    if (typeof target === "string") return answer(ex, 400, target);
    const refusal = refuseHeaders(ex);
    if (refusal !== undefined) return answer(ex, refusal.status, refusal.text);
    const signal = AbortSignal.any([
      ex.signal,
      AbortSignal.timeout(Math.max(0, target.timeoutSeconds) * 1000),
    ]);
    try {
      await this.#forward(ex, kind, { uri: target.uri, signal });
    } catch (error) {
      if (!(error instanceof CcClientError)) throw error;
      // The client is gone when it aborted; the answer is then written for nobody, as upstream.
      return answer(ex, 500, error.message);
    }
  };

  async #forward(ex: Exchange, kind: UploadKind, upload: Forward): Promise<void> {
    const uri = new URL(upload.uri);
    if (kind.async) uri.searchParams.set("async", "true");
    const { signal } = upload;
    const tls = this.#options.tls;
    const response = await postMultipart({
      uri,
      body: ex.body,
      size: Number(ex.req.headers["content-length"]),
      filename: kind.filename,
      // Both set on every forward, empty when the executor sent none (CC takes empty as absent).
      headers: {
        "Content-MD5": headerValue(ex.req.headers["content-md5"]) ?? "",
        "Content-Digest": headerValue(ex.req.headers["content-digest"]) ?? "",
      },
      signal,
      tls,
    });
    if (response.status !== 200 && response.status !== 201) {
      const text = `status code: ${response.status}\n${response.body}`;
      return answer(ex, response.status, text);
    }
    if (kind.async) {
      await pollJob(response, uri, { intervalMs: this.#options.jobPollIntervalMs, signal, tls });
    }
    return answer(ex, kind.success, "");
  }
}

interface Forward {
  uri: URL;
  signal: AbortSignal;
}

/** The CC URI and timeout from the query, or the 400 body text. */
function parseTarget(
  ex: Exchange,
  kind: UploadKind,
): { uri: URL; timeoutSeconds: number } | string {
  const raw = ex.query.get(kind.param);
  if (raw === null || raw === "") return `missing ${kind.param} parameter`;
  let uri: URL;
  try {
    uri = new URL(raw);
  } catch {
    // Go's parser takes more than WHATWG's (relative references); the fake wants a full URI.
    return `invalid ${kind.param} parameter: ${raw}`;
  }
  const timeout = ex.query.get("timeout") ?? "";
  if (timeout === "") return { uri, timeoutSeconds: DEFAULT_TIMEOUT_SECONDS };
  if (!/^[+-]?\d+$/.test(timeout))
    return `strconv.Atoi: parsing ${JSON.stringify(timeout)}: invalid syntax`;
  return { uri, timeoutSeconds: Number(timeout) };
}

/**
 * Length and type checks. The real cc-uploader checks only the length (411 when it is missing
 * or 0). The fake also insists on the octet-stream type and Content-MD5, which every executor
 * version sends on every upload (depot/uploader), to catch a client that does not.
 */
function refuseHeaders(ex: Exchange): { status: number; text: string } | undefined {
  const length = Number(ex.req.headers["content-length"] ?? "0");
  if (!(length > 0)) return { status: 411, text: "Missing Content Length" };
  const type = ex.req.headers["content-type"] ?? "";
  if (type.split(";")[0]?.trim() !== "application/octet-stream") {
    return { status: 415, text: `Content-Type must be application/octet-stream, got ${type}` };
  }
  if (ex.req.headers["content-md5"] === undefined)
    return { status: 400, text: "missing Content-MD5 header" };
  return undefined;
}

/** Writes an answer as Go's server does for `WriteHeader` + `Write` (no type when empty). */
function answer(ex: Exchange, status: number, text: string): Promise<void> {
  const body = Buffer.from(text);
  const headers = {
    ...(body.length > 0 ? { "Content-Type": "text/plain; charset=utf-8" } : {}),
    "Content-Length": body.length,
  };
  return sendBody(ex, { status, headers, body });
}
