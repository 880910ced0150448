/**
 * What cc-uploader does toward Cloud Controller: POST the executor's body, as it arrives, as
 * multipart/form-data (basic auth from the URI's userinfo), then poll the returned job on a
 * ticker until it finishes. Failures are thrown as CcClientError with the text the real one
 * answers (`Post "<uri, password hidden>": <cause>`).
 */
import { request, type ClientRequest, type IncomingMessage } from "node:http";
import { request as tlsRequest } from "node:https";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { multipartEnvelope } from "./multipart-envelope.js";
import { readSmallBody } from "./read-body.js";

export interface CcResponse {
  status: number;
  body: string;
}

export interface MultipartUpload {
  uri: URL;
  /** The executor's body: read once, as it arrives, never rewound. */
  body: Readable;
  /** Its declared length (the executor's Content-Length). */
  size: number;
  /** `droplet.tgz` or `buildpack_cache.tgz`. */
  filename: string;
  /** Forwarded as received, empty when absent: Content-MD5, Content-Digest. */
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

/** A failed exchange with CC, worded as the real cc-uploader answers it. */
export class CcClientError extends Error {}

const DIAL_ATTEMPTS = 3;

/**
 * POSTs the body as the single `file` part. Only a failed dial is tried again, at once, up to
 * three attempts; as upstream, a later attempt has no body left to send (the first one closed
 * it), so it fails as soon as CC is reachable.
 */
export async function postMultipart(upload: MultipartUpload): Promise<CcResponse> {
  const envelope = multipartEnvelope("file", upload.filename);
  const headers = {
    ...upload.headers,
    "Content-Type": envelope.contentType,
    "Content-Length": String(envelope.head.length + upload.size + envelope.tail.length),
  };
  const streamed = async function* () {
    yield envelope.head;
    // Not destroyed when this attempt ends early: the executor's request still gets an answer.
    yield* upload.body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
    yield envelope.tail;
  };
  for (let attempt = 1; ; attempt++) {
    const body = attempt === 1 ? streamed : CLOSED;
    const call = { method: "POST" as const, headers, signal: upload.signal, body };
    try {
      return await exchange(upload.uri, { ...call, tls: upload.tls, verify: true });
    } catch (error) {
      if (!(error instanceof DialError) || attempt >= DIAL_ATTEMPTS)
        throw clientError({ method: "Post", uri: upload.uri }, canceledOr(error, upload.signal));
    }
  }
}

/** A body already closed: the request fails once connected, at its first read. */
const CLOSED = "closed" as const;

/**
 * Polls a CC job (`{"metadata":{"url"},"entity":{"status"}}`) until it leaves queued/running,
 * on a ticker started now: the first poll one interval after the upload answered, the next
 * ones on the ticks (a tick missed during a slow poll fires at once, later ones are dropped).
 * Resolves when the job finished; throws CcClientError with the real texts otherwise.
 */
export async function pollJob(
  first: CcResponse,
  uploadUri: URL,
  polling: { intervalMs: number; signal: AbortSignal; tls?: CcClientTls | undefined },
): Promise<void> {
  const { intervalMs, signal } = polling;
  const ticker = tickerFrom(performance.now(), intervalMs);
  let response = first;
  for (;;) {
    const job = parseJob(response.body);
    if (job.status === "finished") return;
    if (job.status === "failed") throw new CcClientError("upload job failed");
    if (job.status !== "queued" && job.status !== "running")
      throw new CcClientError(`unknown job status: ${job.status}`);
    try {
      await sleep(ticker.next(performance.now()), undefined, { signal });
    } catch {
      throw new CcClientError("upstream request was cancelled");
    }
    const url = new URL(job.url, uploadUri);
    if (url.username === "" && url.host === uploadUri.host) {
      [url.username, url.password] = [uploadUri.username, uploadUri.password];
    }
    // As upstream: job polls skip server verification (hairpin URLs), still with the identity.
    try {
      response = await exchange(url, { method: "GET", headers: {}, signal, tls: polling.tls });
    } catch (error) {
      throw clientError({ method: "Get", uri: url }, canceledOr(error, signal));
    }
  }
}

/** Milliseconds to wait for the next tick of a ticker started at `start`. */
function tickerFrom(start: number, intervalMs: number): { next(now: number): number } {
  let taken = 0;
  return {
    next(now) {
      const due = Math.floor((now - start) / intervalMs);
      if (due > taken) {
        taken = due;
        return 0;
      }
      taken += 1;
      return start + taken * intervalMs - now;
    },
  };
}

/** The job's status and URL; the status is "" when the body is not a job, as upstream reads it. */
function parseJob(body: string): { status: string; url: string } {
  let job: { metadata?: { url?: unknown }; entity?: { status?: unknown } } | null;
  try {
    job = JSON.parse(body) as typeof job;
  } catch (error) {
    throw new CcClientError(error instanceof Error ? error.message : String(error));
  }
  const status = typeof job?.entity?.status === "string" ? job.entity.status : "";
  return { status, url: typeof job?.metadata?.url === "string" ? job.metadata.url : "" };
}

/** Go's client error text: method, URI with the password hidden, cause. */
function clientError(request: { method: "Post" | "Get"; uri: URL }, error: unknown): CcClientError {
  const { method, uri } = request;
  const userinfo =
    uri.username === "" ? "" : `${uri.username}${uri.password === "" ? "" : ":***"}@`;
  const shown = `${uri.protocol}//${userinfo}${uri.host}${uri.pathname}${uri.search}`;
  const cause = error instanceof Error ? error.message : String(error);
  return new CcClientError(`${method} "${shown}": ${cause}`);
}

/** A cancelled request (timeout, or the executor gone) fails as Go's cancelled requests do. */
function canceledOr(error: unknown, signal: AbortSignal): unknown {
  return signal.aborted ? new Error("net/http: request canceled") : error;
}

/** CC could not be reached at all (no connection was made): the one failure retried. */
class DialError extends Error {}

interface Call {
  method: "GET" | "POST";
  headers: Record<string, string>;
  signal: AbortSignal;
  body?: (() => AsyncGenerator<Buffer>) | typeof CLOSED;
  tls?: CcClientTls | undefined;
  /** Verify CC's certificate (uploads do; job polls do not). */
  verify?: boolean | undefined;
}

async function exchange(url: URL, call: Call): Promise<CcResponse> {
  const req = open(url, call);
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once("response", resolve).on("error", (error: NodeJS.ErrnoException) => {
      const dial = error.syscall === "connect" || error.syscall === "getaddrinfo";
      reject(dial && !call.signal.aborted ? new DialError(dialText(error)) : error);
    });
  });
  // A send failure also fails `response` (the request errors), so only the response is awaited.
  const { body } = call;
  if (body === undefined) req.end();
  else if (body === CLOSED) failOnceConnected(req);
  else pipeline(body, req).catch(() => undefined);
  const res = await response;
  const text = await readSmallBody(res);
  // CC answered before taking the whole body (a refusal): stop sending, as upstream does.
  if (!req.writableFinished) req.destroy();
  return { status: res.statusCode ?? 0, body: text };
}

function failOnceConnected(req: ClientRequest): void {
  req.once("socket", (socket) => {
    const fail = () => {
      req.flushHeaders();
      req.destroy(new Error("io: read/write on closed pipe"));
    };
    if (socket.connecting) socket.once("connect", fail);
    else fail();
  });
}

function open(url: URL, call: Call): ClientRequest {
  const { username, password } = url;
  const auth =
    username === "" ? undefined : `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  const common = { method: call.method, headers: call.headers, auth, signal: call.signal };
  const tls = call.tls;
  return url.protocol === "https:"
    ? tlsRequest(url, {
        ...common,
        ...(tls ? { ca: tls.caPem, cert: tls.certPem, key: tls.keyPem } : {}),
        rejectUnauthorized: call.verify === true,
      })
    : request(url, common);
}

/** Go's wording of a refused dial (`dial tcp <address>: connect: connection refused`). */
function dialText(error: NodeJS.ErrnoException & { address?: string; port?: number }): string {
  const { address, port } = error;
  if (error.code !== "ECONNREFUSED" || address === undefined) return error.message;
  const host = address.includes(":") ? `[${address}]` : address;
  return `dial tcp ${host}:${port ?? ""}: connect: connection refused`;
}
