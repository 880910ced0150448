/**
 * Sorts download failures into "try again" (network trouble, 5xx, 429) and "give up now"
 * (cancellation, checksum mismatch, local write errors, other statuses).
 */
import { RestagerError, UnavailableError } from "../errors.js";
import type { DownloadRequest } from "./ports.js";
import { DownloadStatusError, ExpiredUrlError } from "./http-errors.js";
import { RequestTimeoutError } from "./http-transport.js";
import { redactUrl } from "../core/redact.js";
import { RetryableFailure } from "./retry.js";
import { cancellation } from "../core/cancellation.js";

/** For a thrown error: the caller's abort reason, a final RestagerError, or a RetryableFailure. */
export function classifyDownloadFailure(error: unknown, request: DownloadRequest): Error {
  if (request.signal?.aborted) return cancellation(request.signal);
  if (error instanceof RestagerError || error instanceof RetryableFailure) return error;
  const url = redactUrl(request.url);
  const timeout = timeoutKind(error);
  if (timeout !== undefined) {
    return new RetryableFailure(
      new UnavailableError(`Download failed: timed out ${timeoutWording[timeout]} ${url}`, {
        hint: "The server is up but stalled; check its load (or the network to it) and try again",
        cause: error,
      }),
    );
  }
  return new RetryableFailure(
    new UnavailableError(`Download failed: could not fetch ${url}`, {
      hint: answered(error)
        ? "The server accepted the connection, then closed it; check its logs and load"
        : "Check that the server is reachable from here (use --resolve to map a Cloud Foundry host name to a local address)",
      cause: error,
    }),
  );
}

/** Codes of a connection that never reached a server; anything else means the host answered. */
const unreachedCodes = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function answered(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return !unreachedCodes.has(code);
    current = current.cause;
  }
  return false;
}

type TimeoutKind = "headers" | "body" | "request";

const timeoutWording: Record<TimeoutKind, string> = {
  headers: "waiting for an answer from",
  body: "waiting for more data from",
  request: "before the whole body came from",
};

/** Which of the transport's timeouts fired, looking a few causes deep (undici's error codes). */
function timeoutKind(error: unknown): TimeoutKind | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current instanceof RequestTimeoutError) return "request";
    const code = (current as { code?: unknown }).code;
    if (code === "UND_ERR_HEADERS_TIMEOUT") return "headers";
    if (code === "UND_ERR_BODY_TIMEOUT") return "body";
    current = current.cause;
  }
  return undefined;
}

/** For a response status other than 200 (and 304 with a cache entry). */
export function classifyDownloadStatus(status: number, url: string): Error {
  if (status === 401 || status === 403) return new ExpiredUrlError(status, url);
  const failure = new DownloadStatusError(status, url);
  return status === 429 || status >= 500 ? new RetryableFailure(failure) : failure;
}
