import type { Action } from "../actions.js";
import { buildStep } from "./build-step.js";
import type { StepContext } from "./step-context.js";
import { errorMessage } from "./step-errors.js";
import { cancellation, isCancellation } from "../../core/cancellation.js";

export interface TaskRunResult {
  failed: boolean;
  /**
   * What Diego would report as the task's `failure_reason`: the failing step's message chain,
   * e.g. `exceeded 15m0s timeout; STG: Exited with status 223`; "" on success.
   */
  failureReason: string;
  /** The step error behind a failure (see findStepError / findExitStatus). */
  error?: unknown;
}

/**
 * Runs a task's whole action tree. A failed action is a result, not an exception; a cancelled
 * run (the signal aborted) rejects with CancelledError instead.
 */
export async function runTaskAction(
  action: Action,
  ctx: StepContext,
  signal: AbortSignal,
): Promise<TaskRunResult> {
  try {
    await buildStep(action, ctx).run(signal);
    return { failed: false, failureReason: "" };
  } catch (error) {
    if (isCancellation(error)) throw error;
    if (signal.aborted) throw cancellation(signal);
    return { failed: true, failureReason: errorMessage(error), error };
  }
}
