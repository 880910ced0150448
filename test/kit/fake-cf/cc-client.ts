/**
 * What cc-uploader does toward Cloud Controller: POST the upload as multipart/form-data
 * (basic auth from the URI's userinfo), then poll the returned job until it finishes.
 */
import { createReadStream } from "node:fs";
import { request, type IncomingMessage } from "node:http";
import { request as tlsRequest } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { pipeline } from "node:stream/promises";
import { multipartEnvelope } from "./multipart-envelope.js";
import { readSmallBody } from "./read-body.js";

export interface CcResponse {
  status: number;
  body: string;
}

export interface MultipartUpload {
  uri: URL;
  filePath: string;
  size: number;
  /** `droplet.tgz` or `buildpack_cache.tgz`. */
  filename: string;
  /** Forwarded unchanged: Content-MD5, Content-Digest. */
  headers: Record<string, string>;
  signal: AbortSignal;
  /** cc-uploader's client identity towards CC's mutual-TLS internal API. */
  tls?: CcClientTls | undefined;
}

/** cc-uploader's `cc.ca_cert` / `cc.client_cert` / `cc.client_key`. */
export interface CcClientTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const DIAL_ATTEMPTS = 3;

/** POSTs the file as the single `file` part; retried only when CC cannot be dialled. */
export async function postMultipart(upload: MultipartUpload): Promise<CcResponse> {
  const envelope = multipartEnvelope("file", upload.filename);
  const headers = {
    ...upload.headers,
    "Content-Type": envelope.contentType,
    "Content-Length": String(envelope.head.length + upload.size + envelope.tail.length),
  };
  const body = async function* () {
    yield envelope.head;
    yield* createReadStream(upload.filePath);
    yield envelope.tail;
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const call = { method: "POST" as const, headers, signal: upload.signal, body };
      return await exchange(upload.uri, { ...call, tls: upload.tls, verify: true });
    } catch (error) {
      if (attempt >= DIAL_ATTEMPTS || (error as NodeJS.ErrnoException).code !== "ECONNREFUSED")
        throw error;
    }
  }
}

/** Polls a CC job (`{"metadata":{"url"},"entity":{"status"}}`) until it leaves queued/running. */
export async function pollJob(
  first: CcResponse,
  uploadUri: URL,
  polling: { intervalMs: number; signal: AbortSignal; tls?: CcClientTls | undefined },
): Promise<string> {
  const { intervalMs, signal } = polling;
  let response = first;
  for (;;) {
    const job = parseJob(response.body);
    if (job.status !== "queued" && job.status !== "running") return job.status;
    await sleep(intervalMs, undefined, { signal });
    const url = new URL(job.url, uploadUri);
    if (url.username === "" && url.host === uploadUri.host) {
      [url.username, url.password] = [uploadUri.username, uploadUri.password];
    }
    // As upstream: job polls skip server verification (hairpin URLs), still with the identity.
    response = await exchange(url, { method: "GET", headers: {}, signal, tls: polling.tls });
    if (response.status !== 200) return "failed";
  }
}

function parseJob(body: string): { status: string; url: string } {
  try {
    const job = JSON.parse(body) as { metadata?: { url?: unknown }; entity?: { status?: unknown } };
    const status = typeof job.entity?.status === "string" ? job.entity.status : "unknown";
    return { status, url: typeof job.metadata?.url === "string" ? job.metadata.url : "" };
  } catch {
    return { status: "unknown", url: "" };
  }
}

interface Call {
  method: "GET" | "POST";
  headers: Record<string, string>;
  signal: AbortSignal;
  body?: () => AsyncGenerator<Buffer>;
  tls?: CcClientTls | undefined;
  /** Verify CC's certificate (uploads do; job polls do not). */
  verify?: boolean | undefined;
}

async function exchange(url: URL, call: Call): Promise<CcResponse> {
  const { username, password } = url;
  const auth =
    username === "" ? undefined : `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  const common = { method: call.method, headers: call.headers, auth, signal: call.signal };
  const tls = call.tls;
  const req =
    url.protocol === "https:"
      ? tlsRequest(url, {
          ...common,
          ...(tls ? { ca: tls.caPem, cert: tls.certPem, key: tls.keyPem } : {}),
          rejectUnauthorized: call.verify === true,
        })
      : request(url, common);
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once("response", resolve).once("error", reject);
  });
  // A send failure also fails `response` (the request errors), so only the response is awaited.
  const sent = call.body === undefined ? Promise.resolve(req.end()) : pipeline(call.body, req);
  sent.catch(() => undefined);
  const res = await response;
  return { status: res.statusCode ?? 0, body: await readSmallBody(res) };
}
