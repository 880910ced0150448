import { CancelledError } from "../../errors.js";
import type { Step } from "./step.js";
import { aggregateErrors, CodependentExitedError } from "./step-errors.js";
import { throwIfCancelled } from "../../core/cancellation.js";

/**
 * Diego's codependent action (how an LRP runs its process next to sshd and sidecars): starts
 * every child; the first one to finish, successfully or not, aborts the others. A child that
 * succeeds counts as the failure `Codependent step exited`, so the group always fails (unless it
 * has no children at all).
 */
export class CodependentStep implements Step {
  constructor(private readonly steps: readonly Step[]) {}

  async run(signal: AbortSignal): Promise<void> {
    throwIfCancelled(signal);
    const group = new AbortController();
    const childSignal = AbortSignal.any([signal, group.signal]);
    const endGroup = () => group.abort(new CancelledError());
    const results = await Promise.allSettled(
      this.steps.map((step) =>
        step.run(childSignal).then(
          () => {
            endGroup();
            throw new CodependentExitedError();
          },
          (error: unknown) => {
            endGroup();
            throw error;
          },
        ),
      ),
    );
    const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    if (errors.length > 0) throw aggregateErrors(errors);
  }
}
