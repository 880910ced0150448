/**
 * POSTs the completion callback as BBS does: JSON, retried at once on 503/504 (and on network
 * failures) up to 3 tries; any other status ends it (docs/diego.md §5.4). The URL is
 * printed only redacted (no userinfo, no query).
 */
import { ExitCode, RestagerError } from "../errors.js";
import type { JsonPoster } from "../http/ports.js";
import { redactUrl } from "../core/redact.js";
import type { TaskCallbackResponse } from "./callback-payload.js";
import { cancellation } from "../core/cancellation.js";

export interface CallbackOptions {
  /** Posts the JSON (src/http/post-json.ts jsonPoster: `--resolve`, TLS for CC's mutual TLS). */
  poster: JsonPoster;
  signal?: AbortSignal | undefined;
}

export interface CallbackOutcome {
  /** The URL, redacted for printing. */
  url: string;
  status: number;
  attempts: number;
  /** The first line of the answer, for messages. */
  answer: string;
}

/** The callback got a final answer other than 2xx. */
export class CallbackRefusedError extends RestagerError {
  readonly outcome: CallbackOutcome;

  constructor(outcome: CallbackOutcome) {
    super(
      `The completion callback to ${outcome.url} was answered HTTP ${outcome.status}` +
        ` after ${attemptCount(outcome.attempts)}` +
        (outcome.answer ? `: ${outcome.answer}` : ""),
      ExitCode.unavailable,
      { hint: "Check the URL (and --resolve) and what the server logged about the payload" },
    );
    this.outcome = outcome;
  }
}

/** Sends `payload`; resolves with the outcome when the answer is 2xx, else rejects. */
export async function sendCallback(
  url: string,
  payload: TaskCallbackResponse,
  options: CallbackOptions,
): Promise<CallbackOutcome> {
  const result = await options.poster.post(url, payload, {
    retryOn: [503, 504],
    maxAttempts: 3,
    signal: options.signal,
    sleep: immediately,
  });
  const outcome: CallbackOutcome = {
    url: redactUrl(url),
    status: result.status,
    attempts: result.attempts,
    answer: (result.bodyText.split("\n")[0] ?? "").trim().slice(0, 200),
  };
  if (result.status < 200 || result.status > 299) throw new CallbackRefusedError(outcome);
  return outcome;
}

/** BBS retries a 503/504 at once, with no backoff. */
function immediately(_ms: number, signal?: AbortSignal): Promise<void> {
  return signal?.aborted ? Promise.reject(cancellation(signal)) : Promise.resolve();
}

export function attemptCount(count: number): string {
  return count === 1 ? "1 attempt" : `${count} attempts`;
}
