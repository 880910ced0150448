import { callbackPayload } from "../../callback/callback-payload.js";
import { sendCallback } from "../../callback/send-callback.js";
import { jsonPoster } from "../../http/post-json.js";
import type { TaskRequest } from "../../diego/task-definition.js";
import type { TlsSettings } from "../../http/tls-settings.js";
import type { RestageOutcome } from "../../restage/restage-types.js";

/** The callback got a 2xx answer. */
export interface CallbackSent {
  /** The task's state the callback told. */
  state: "succeeded" | "failed";
  /** Redacted for printing. */
  url: string;
  status: number;
  attempts: number;
}

export interface CallbackContext {
  outcome: RestageOutcome;
  request: TaskRequest;
  /** `--resolve HOST[:PORT]=ADDR[:PORT]` values. */
  resolve: readonly string[];
  tls: TlsSettings;
  signal: AbortSignal;
}

/**
 * `--callback`: posts the TaskCallbackResponse. Undefined when the task has no callback URL;
 * rejects when the callback is refused or cannot be delivered (reported once, by the caller).
 */
export async function postRestageCallback(
  context: CallbackContext,
): Promise<CallbackSent | undefined> {
  const { outcome, request } = context;
  const url = request.definition.completionCallbackUrl;
  if (url === "") return undefined;
  const payload = callbackPayload(request, {
    failed: outcome.failed,
    failureReason: outcome.failureReason,
    resultText: outcome.result?.text,
  });
  const poster = jsonPoster({ resolve: context.resolve, tls: context.tls });
  const sent = await sendCallback(url, payload, { poster, signal: context.signal });
  const state = outcome.failed ? "failed" : "succeeded";
  return { state, url: sent.url, status: sent.status, attempts: sent.attempts };
}
