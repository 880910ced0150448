import type { Step } from "./step.js";
import { throwIfCancelled } from "../../core/cancellation.js";

/**
 * Diego's serial action: runs children in order and stops at the first failure, which it
 * returns. The signal is shared, so an abort reaches whichever child is running; the next
 * child is never started once the signal aborted.
 */
export class SerialStep implements Step {
  constructor(private readonly steps: readonly Step[]) {}

  async run(signal: AbortSignal): Promise<void> {
    for (const step of this.steps) {
      throwIfCancelled(signal);
      await step.run(signal);
    }
  }
}
