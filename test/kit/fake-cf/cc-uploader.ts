/**
 * cc-uploader (docs/diego.md §5.1–§5.2): takes the executor's raw upload, forwards it to the CC
 * URI from the query as multipart/form-data and, for droplets, waits for CC's job.
 */
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { postMultipart, pollJob, type CcClientTls, type CcResponse } from "./cc-client.js";
import type { Digests } from "./digests.js";
import { sendText, type Exchange } from "./exchange.js";
import { anyIntegrityProblem, headerValue } from "./integrity.js";

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
  spoolDir: string;
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
    if (typeof target === "string") return sendText(ex, 400, `${target}\n`);
    const refusal = refuseHeaders(ex);
    if (refusal !== undefined) return sendText(ex, refusal.status, `${refusal.text}\n`);
    const spoolPath = join(this.#options.spoolDir, `upload-${randomUUID()}`);
    try {
      const digests = await spool(ex, spoolPath);
      // The real cc-uploader only forwards Content-MD5/Content-Digest and CC rejects mismatches
      // (checking Content-Digest when present, else Content-MD5); the fake checks both here too,
      // so a wrong header shows up at the first hop.
      const problem = anyIntegrityProblem(ex.req.headers, digests);
      if (problem !== undefined) return sendText(ex, 400, `${problem}\n`);
      const signal = AbortSignal.any([
        ex.signal,
        AbortSignal.timeout(target.timeoutSeconds * 1000),
      ]);
      await this.#forward(ex, kind, { uri: target.uri, spoolPath, digests, signal });
    } finally {
      await rm(spoolPath, { force: true });
    }
  };

  async #forward(ex: Exchange, kind: UploadKind, upload: Forward): Promise<void> {
    const uri = new URL(upload.uri);
    if (kind.async) uri.searchParams.set("async", "true");
    const forwarded: Record<string, string> = {};
    for (const name of ["content-md5", "content-digest"]) {
      const value = headerValue(ex.req.headers[name]);
      if (value !== undefined) forwarded[name] = value;
    }
    let response: CcResponse;
    try {
      response = await postMultipart({
        uri,
        filePath: upload.spoolPath,
        size: upload.digests.size,
        filename: kind.filename,
        headers: forwarded,
        signal: upload.signal,
        tls: this.#options.tls,
      });
    } catch (error) {
      return sendText(ex, 500, `uploading to cloud controller failed: ${String(error)}\n`);
    }
    if (response.status !== 200 && response.status !== 201) {
      return sendText(ex, response.status, `status code: ${response.status}\n${response.body}`);
    }
    if (!kind.async) return sendText(ex, kind.success, "");
    const polling = {
      intervalMs: this.#options.jobPollIntervalMs,
      signal: upload.signal,
      tls: this.#options.tls,
    };
    const status = await pollJob(response, uri, polling).catch(() => "timed out");
    if (status === "finished") return sendText(ex, kind.success, "");
    return sendText(
      ex,
      500,
      status === "failed" ? "upload job failed\n" : `upload job ${status}\n`,
    );
  }
}

interface Forward {
  uri: URL;
  spoolPath: string;
  digests: Digests;
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
    return `invalid ${kind.param} parameter: ${raw}`;
  }
  const timeout = ex.query.get("timeout");
  if (timeout === null) return { uri, timeoutSeconds: DEFAULT_TIMEOUT_SECONDS };
  if (!/^\d+$/.test(timeout)) return `invalid timeout parameter: ${timeout}`;
  return { uri, timeoutSeconds: Number(timeout) };
}

/**
 * Length and type checks. The real cc-uploader checks only the length; the fake also insists on
 * what every executor sends (octet-stream type, Content-MD5) to catch a client that does not.
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

/** Writes the body to disk; its digests come from the exchange's own tap (one hashing pass). */
async function spool(ex: Exchange, spoolPath: string): Promise<Digests> {
  await pipeline(ex.body, createWriteStream(spoolPath));
  return ex.body.digests();
}
