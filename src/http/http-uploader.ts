/**
 * The executor's uploader (depot/uploader/uploader.go): POST the raw bytes with Content-Length
 * (never chunked), Content-MD5 and Content-Digest, up to 3 attempts one right after the other.
 * Every failure but a cancellation is retried, network errors and any status from 400 up alike
 * (`Upload failed: Status code <n>` after the last); a status below 400 is success
 * (cc-uploader answers 201 for droplets, 200 for build artifacts).
 */
import { pipeline, Transform, type Readable } from "node:stream";
import { RestagerError } from "../errors.js";
import type { Uploader, UploadRequest, UploadResult } from "./ports.js";
import { UploadError } from "./http-errors.js";
import { HttpTransport, type HttpResponse, type HttpTransportOptions } from "./http-transport.js";
import {
  retryWithBackoff,
  RetryableFailure,
  uploadRetryPolicy,
  type RetryPolicy,
  type RetryTiming,
} from "./retry.js";
import { throttleProgress } from "./throttle-progress.js";
import { cancellation } from "../core/cancellation.js";

export interface HttpUploaderOptions {
  /** A transport shared with other clients; when absent one is made (and closed by close()). */
  transport?: HttpTransport | undefined;
  transportOptions?: HttpTransportOptions | undefined;
  retryPolicy?: RetryPolicy | undefined;
  timing?: RetryTiming | undefined;
}

/** How much of a failed response's body is kept (in the error's cause). */
const errorBodyLimitBytes = 1024;

export class HttpUploader implements Uploader {
  readonly #transport: HttpTransport;
  readonly #ownsTransport: boolean;
  readonly #options: HttpUploaderOptions;

  constructor(options: HttpUploaderOptions = {}) {
    this.#options = options;
    this.#ownsTransport = options.transport === undefined;
    this.#transport = options.transport ?? new HttpTransport(options.transportOptions);
  }

  upload(request: UploadRequest): Promise<UploadResult> {
    if (request.signal?.aborted) return Promise.reject(cancellation(request.signal));
    const attempt = (n: number): Promise<UploadResult> => this.#attempt(request, n);
    return retryWithBackoff(attempt, this.#options.retryPolicy ?? uploadRetryPolicy, {
      ...this.#options.timing,
      signal: request.signal,
    });
  }

  /** Closes the transport when this uploader created it. */
  async close(): Promise<void> {
    if (this.#ownsTransport) await this.#transport.close();
  }

  async #attempt(request: UploadRequest, attempts: number): Promise<UploadResult> {
    const body = countingBody(request);
    let response: HttpResponse;
    try {
      response = await this.#transport.send({
        method: "POST",
        url: request.url,
        headers: uploadHeaders(request),
        body,
        signal: request.signal,
        headersTimeoutMs: this.#transport.requestTimeoutMs,
      });
    } catch (error) {
      body.destroy();
      if (request.signal?.aborted) throw cancellation(request.signal);
      if (error instanceof RestagerError) throw error;
      throw new RetryableFailure(new UploadError(undefined, request.url, { cause: error }));
    }
    if (response.status < 400) {
      response.body.resume();
      return { status: response.status, attempts };
    }
    const text = await readPrefix(response.body, errorBodyLimitBytes);
    const cause = new Error(`response body: ${text}`);
    throw new RetryableFailure(new UploadError(response.status, request.url, { cause }));
  }
}

function uploadHeaders(request: UploadRequest): Record<string, string> {
  return {
    "content-type": "application/octet-stream",
    "content-length": String(request.sizeBytes),
    "content-md5": request.md5Base64,
    "content-digest": `sha-256=:${request.sha256Base64}:`,
  };
}

/** A fresh body stream for this attempt, reporting bytes sent. */
function countingBody(request: UploadRequest): Readable {
  const progress = throttleProgress(request.onProgress);
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      progress(sent, sent === request.sizeBytes);
      callback(null, chunk);
    },
  });
  return pipeline(request.body(), counter, () => {});
}

/** Reads up to `limit` bytes of a body as text, then discards the rest. */
async function readPrefix(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch {
    // The status is what matters; a body cut short is still worth showing.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}
