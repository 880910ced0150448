import type { Step } from "./step.js";
import { errorMessage } from "./step-errors.js";
import { cancellation, isCancellation, throwIfCancelled } from "../../core/cancellation.js";
import type { Logger } from "../../core/events.js";

/**
 * Diego's try action: a failing child does not fail the task; its error is only logged.
 *
 * Deliberate divergence from the executor (whose try also swallows being signalled):
 * cancellation is never swallowed, so Ctrl-C (or an enclosing timeout) still stops the replay.
 */
export class TryStep implements Step {
  constructor(
    private readonly step: Step,
    private readonly logger: Logger,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    throwIfCancelled(signal);
    try {
      await this.step.run(signal);
    } catch (error) {
      if (isCancellation(error)) throw error;
      if (signal.aborted) throw cancellation(signal);
      this.logger.debug("try-step-failed", { error: errorMessage(error) });
    }
  }
}
