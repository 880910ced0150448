import { callbackPayload } from "../../callback/callback-payload.js";
import { CallbackRefusedError, sendCallback } from "../../callback/send-callback.js";
import type { TaskRequest } from "../../diego/task-definition.js";
import { redactUrl } from "../../core/redact.js";
import type { TlsSettings } from "../../http/tls-settings.js";
import type { RestageOutcome } from "../../restage/restage.js";
import type { RestageArgs } from "../commands/restage.js";
import type { Output } from "../output.js";

interface CallbackContext {
  outcome: RestageOutcome;
  request: TaskRequest;
  args: RestageArgs;
  tls: TlsSettings;
  signal: AbortSignal;
}

/** `--callback`: posts the TaskCallbackResponse and prints the outcome on stderr. */
export async function postRestageCallback(output: Output, context: CallbackContext): Promise<void> {
  const { outcome, request } = context;
  const url = request.definition.completionCallbackUrl;
  if (url === "") {
    output.warn("The task has no completion_callback_url: no callback was sent");
    return;
  }
  const payload = callbackPayload(request, {
    failed: outcome.failed,
    failureReason: outcome.failureReason,
    resultText: outcome.result?.text,
  });
  const state = outcome.failed ? "failed" : "succeeded";
  try {
    const sent = await sendCallback(url, payload, {
      resolve: context.args.resolve,
      tls: context.tls,
      signal: context.signal,
    });
    output.info(
      `Callback (${state}) to ${sent.url}: HTTP ${sent.status} after ${attempts(sent.attempts)}`,
    );
  } catch (error) {
    const where = redactUrl(url);
    if (error instanceof CallbackRefusedError) {
      output.error(
        `Callback (${state}) to ${where}: HTTP ${error.outcome.status} after ${attempts(error.outcome.attempts)}`,
      );
    } else {
      output.error(`Callback (${state}) to ${where}: not delivered`);
    }
    throw error;
  }
}

function attempts(count: number): string {
  return count === 1 ? "1 attempt" : `${count} attempts`;
}
