import type { StepContext } from "./step-context.js";
import type { Step } from "./step.js";
import { waitUntil } from "./wait-until.js";
import { cancellation } from "../../core/cancellation.js";

/**
 * Waits until the files the cell puts in every container are in place (StepContext.cellReady),
 * as the executor starts a container's actions only once its credential manager is ready
 * (executor depot/containerstore/storenode.go). Rejects with the cell's error, or with the
 * signal's cancellation.
 */
export async function untilCellReady(ctx: StepContext, signal: AbortSignal): Promise<void> {
  if (ctx.cellReady === undefined) return;
  const outcome = await waitUntil(ctx.cellReady, { signal });
  if (outcome.kind !== "settled") throw cancellation(signal);
}

/**
 * `step` started once the cell is ready: a timeout action's clock starts with its child, and on
 * a cell no action runs before the credential manager is ready, so the time spent putting the
 * cell's files in must not count against it. Downloads outside any timeout still overlap it.
 */
export function afterCellReady(step: Step, ctx: StepContext): Step {
  if (ctx.cellReady === undefined) return step;
  return {
    async run(signal: AbortSignal): Promise<void> {
      await untilCellReady(ctx, signal);
      await step.run(signal);
    },
  };
}
