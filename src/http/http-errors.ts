/**
 * Errors of the HTTP adapter. Messages carry only redacted URLs (redactUrl); the `status`
 * fields let the steps print Diego's exact wording.
 */
import { ExitCode, RestagerError, type RestagerErrorOptions } from "../errors.js";
import { findUrlExpiry } from "./url-expiry.js";
import { redactUrl } from "../core/redact.js";
import type { ChecksumAlgorithm } from "../core/checksums.js";

/** The body did not hash to the expected value. Never retried. */
export class ChecksumMismatchError extends RestagerError {
  constructor(algorithm: ChecksumAlgorithm, expected: string, actual: string) {
    super(
      `Checksum failed: expected ${algorithm} ${expected}, got ${actual}`,
      ExitCode.taskFailed,
      {
        hint: "The server sent different bytes than the request promised; check the file behind the URL",
      },
    );
  }
}

/** The server answered with a status that means the download cannot succeed. */
export class DownloadStatusError extends RestagerError {
  readonly status: number;

  constructor(status: number, url: string, options: RestagerErrorOptions = {}) {
    super(`Download failed: Status code ${status} (GET ${redactUrl(url)})`, ExitCode.unavailable, {
      hint: options.hint ?? "Check that the URL is right and the server is serving it",
      cause: options.cause,
    });
    this.status = status;
  }
}

/** A signed URL was refused with 401/403: the captured request has most likely expired. */
export class ExpiredUrlError extends RestagerError {
  readonly status: number;

  constructor(status: number, url: string, now: Date = new Date()) {
    super(expiredMessage(status, url, now), ExitCode.expired, {
      hint: "Capture a fresh request (build_req / cfdot) and try again",
    });
    this.status = status;
  }
}

function expiredMessage(status: number, url: string, now: Date): string {
  const base = `The server refused the signed URL ${redactUrl(url)} (status ${status}); it has probably expired`;
  const expiry = findUrlExpiry(url);
  if (!expiry) return base;
  const when = expiry.toISOString();
  return expiry.getTime() <= now.getTime()
    ? `${base} (it expired at ${when})`
    : `${base} (its expiry is ${when}, so the signature itself may be invalid)`;
}

/** An upload failed after its last attempt; the artifact stays on disk. */
export class UploadError extends RestagerError {
  readonly status: number | undefined;

  /**
   * The executor's uploader reports a refused upload as `Upload failed: Status code <n>`, which
   * the upload step returns unchanged as the task's failure reason; the URL (redacted) is only
   * in the hint.
   */
  constructor(status: number | undefined, url: string, options: RestagerErrorOptions = {}) {
    const what = status === undefined ? "could not reach the server" : `Status code ${status}`;
    super(`Upload failed: ${what}`, ExitCode.uploadFailed, {
      hint:
        options.hint ??
        `The artifact was kept; check the upload server (POST ${redactUrl(url)}) and try again`,
      cause: options.cause,
    });
    this.status = status;
  }
}
