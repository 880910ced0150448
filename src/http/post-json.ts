/**
 * POSTs a JSON document (the task completion callback) and returns the answer as text.
 * Statuses in `retryOn` and network failures are retried; any final status is returned, not
 * thrown, so the caller decides what a 4xx means.
 */
import { RestagerError, UnavailableError } from "../errors.js";
import { HttpTransport } from "./http-transport.js";
import { redactUrl } from "../core/redact.js";
import type { JsonPoster } from "./ports.js";
import { parseResolveSpec, type ResolveMap } from "./resolve-map.js";
import type { TlsSettings } from "./tls-settings.js";
import { RetryableFailure, retryWithBackoff, type RetryTiming } from "./retry.js";
import { cancellation } from "../core/cancellation.js";

export interface PostJsonOptions {
  /** Statuses worth another attempt; default [503, 504]. */
  retryOn?: readonly number[] | undefined;
  /** Default 3. */
  maxAttempts?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Used when no transport is given. */
  resolveMap?: ResolveMap | undefined;
  /** Used when no transport is given. */
  tls?: TlsSettings | undefined;
  /** A shared transport; when absent a temporary one is made and closed. */
  transport?: HttpTransport | undefined;
  timing?: RetryTiming | undefined;
}

export interface PostJsonResult {
  status: number;
  bodyText: string;
  attempts: number;
}

const bodyLimitBytes = 64 * 1024;

export async function postJson(
  url: string,
  body: unknown,
  options: PostJsonOptions = {},
): Promise<PostJsonResult> {
  const transport =
    options.transport ?? new HttpTransport({ resolveMap: options.resolveMap, tls: options.tls });
  const maxAttempts = options.maxAttempts ?? 3;
  const retryOn = options.retryOn ?? [503, 504];
  const payload = Buffer.from(JSON.stringify(body));
  const attempt = async (attempts: number): Promise<PostJsonResult> => {
    const result = await postOnce(transport, { url, payload, signal: options.signal });
    if (attempts < maxAttempts && retryOn.includes(result.status)) {
      throw new RetryableFailure(new Error(`status ${result.status}`));
    }
    return { ...result, attempts };
  };
  const policy = { maxAttempts, initialDelayMs: 500, maxDelayMs: 2000, jitterMs: 200 };
  try {
    return await retryWithBackoff(attempt, policy, { ...options.timing, signal: options.signal });
  } finally {
    if (!options.transport) await transport.close();
  }
}

/**
 * The JsonPoster port over postJson, for one connection setup: curl's `--resolve` values
 * (parsed at each post, so a bad one fails that post) and TLS settings.
 */
export function jsonPoster(setup: {
  resolve?: readonly string[] | undefined;
  tls?: TlsSettings | undefined;
}): JsonPoster {
  return {
    post: (url, body, { sleep, ...options }) =>
      postJson(url, body, {
        ...options,
        resolveMap: (setup.resolve ?? []).map(parseResolveSpec),
        tls: setup.tls,
        ...(sleep ? { timing: { sleep } } : {}),
      }),
  };
}

async function postOnce(
  transport: HttpTransport,
  { url, payload, signal }: { url: string; payload: Buffer; signal: AbortSignal | undefined },
): Promise<{ status: number; bodyText: string }> {
  try {
    const response = await transport.send({
      method: "POST",
      url,
      headers: { "content-type": "application/json", "content-length": String(payload.length) },
      body: payload,
      signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      if (size < bodyLimitBytes) chunks.push(chunk);
      size += chunk.length;
    }
    const text = Buffer.concat(chunks).subarray(0, bodyLimitBytes).toString("utf8");
    return { status: response.status, bodyText: text };
  } catch (error) {
    if (signal?.aborted) throw cancellation(signal);
    if (error instanceof RestagerError) throw error;
    throw new RetryableFailure(
      new UnavailableError(`Could not post to ${redactUrl(url)}`, {
        hint: "Check that the callback server is reachable from here",
        cause: error,
      }),
    );
  }
}
