import type { Step } from "./step.js";
import { aggregateErrors, throwIfAborted } from "./step-errors.js";

/**
 * Diego's parallel action: starts every child and waits for all of them. A failure never
 * cancels siblings (only the outside signal does); the failures are aggregated, their
 * displayable messages joined with "; " and cancellations hidden.
 */
export class ParallelStep implements Step {
  constructor(private readonly steps: readonly Step[]) {}

  async run(signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    const results = await Promise.allSettled(this.steps.map((step) => step.run(signal)));
    const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    if (errors.length > 0) throw aggregateErrors(errors);
  }
}
