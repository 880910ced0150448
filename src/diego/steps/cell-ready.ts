import type { StepContext } from "./step-context.js";
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
