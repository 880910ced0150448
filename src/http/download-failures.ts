/**
 * Sorts download failures into "try again" (network trouble, 5xx, 429) and "give up now"
 * (cancellation, checksum mismatch, local write errors, other statuses).
 */
import { RestagerError, UnavailableError } from "../errors.js";
import type { DownloadRequest } from "./ports.js";
import { DownloadStatusError, ExpiredUrlError } from "./http-errors.js";
import { redactUrl } from "./redact-url.js";
import { RetryableFailure } from "./retry.js";
import { abortReason } from "./sleep.js";

/** For a thrown error: the caller's abort reason, a final RestagerError, or a RetryableFailure. */
export function classifyDownloadFailure(error: unknown, request: DownloadRequest): Error {
  if (request.signal?.aborted) return abortReason(request.signal);
  if (error instanceof RestagerError || error instanceof RetryableFailure) return error;
  return new RetryableFailure(
    new UnavailableError(`Download failed: could not fetch ${redactUrl(request.url)}`, {
      hint: "Check that the server is reachable from here (use --resolve to map a Cloud Foundry host name to a local address)",
      cause: error,
    }),
  );
}

/** For a response status other than 200 (and 304 with a cache entry). */
export function classifyDownloadStatus(status: number, url: string): Error {
  if (status === 401 || status === 403) return new ExpiredUrlError(status, url);
  const failure = new DownloadStatusError(status, url);
  return status === 429 || status >= 500 ? new RetryableFailure(failure) : failure;
}
