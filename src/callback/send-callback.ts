/**
 * POSTs the completion callback as BBS does: JSON, retried at once on 503/504 (and on network
 * failures) up to 3 tries; any other status ends it (diego-reference.md §5.4). The URL is
 * printed only redacted (no userinfo, no query).
 */
import { ExitCode, RestagerError } from "../errors.js";
import { postJson } from "../http/post-json.js";
import { redactUrl } from "../core/redact.js";
import { parseResolveSpec } from "../http/resolve-map.js";
import type { TlsSettings } from "../http/tls-settings.js";
import type { TaskCallbackResponse } from "./callback-payload.js";
import { cancellation } from "../core/cancellation.js";

export interface CallbackOptions {
  /** `--resolve HOST[:PORT]=ADDR[:PORT]` values. */
  resolve?: readonly string[] | undefined;
  /** CC's internal API asks for the client certificate (mutual TLS). */
  tls?: TlsSettings | undefined;
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
  options: CallbackOptions = {},
): Promise<CallbackOutcome> {
  const result = await postJson(url, payload, {
    retryOn: [503, 504],
    maxAttempts: 3,
    resolveMap: (options.resolve ?? []).map(parseResolveSpec),
    tls: options.tls,
    signal: options.signal,
    timing: { sleep: immediately },
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
