/**
 * What cc-uploader does toward Cloud Controller: POST the upload as multipart/form-data
 * (basic auth from the URI's userinfo), then poll the returned job until it finishes.
 */
import { createReadStream } from "node:fs";
import { request, type IncomingMessage } from "node:http";
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
      return await exchange(upload.uri, { method: "POST", headers, signal: upload.signal, body });
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
  { intervalMs, signal }: { intervalMs: number; signal: AbortSignal },
): Promise<string> {
  let response = first;
  for (;;) {
    const job = parseJob(response.body);
    if (job.status !== "queued" && job.status !== "running") return job.status;
    await sleep(intervalMs, undefined, { signal });
    const url = new URL(job.url, uploadUri);
    if (url.username === "" && url.host === uploadUri.host) {
      [url.username, url.password] = [uploadUri.username, uploadUri.password];
    }
    response = await exchange(url, { method: "GET", headers: {}, signal });
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
}

async function exchange(url: URL, call: Call): Promise<CcResponse> {
  const { username, password } = url;
  const auth =
    username === "" ? undefined : `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  const req = request(url, {
    method: call.method,
    headers: call.headers,
    auth,
    signal: call.signal,
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once("response", resolve).once("error", reject);
  });
  // A send failure also fails `response` (the request errors), so only the response is awaited.
  const sent = call.body === undefined ? Promise.resolve(req.end()) : pipeline(call.body, req);
  sent.catch(() => undefined);
  const res = await response;
  return { status: res.statusCode ?? 0, body: await readSmallBody(res) };
}
