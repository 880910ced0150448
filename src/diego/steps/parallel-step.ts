import { setMaxListeners } from "node:events";
import type { Step } from "./step.js";
import { aggregateErrors } from "./step-errors.js";
import { throwIfCancelled } from "../../core/cancellation.js";

/** Abort listeners one child may hold at once (an HTTP request, a Docker call, a backoff...). */
const listenersPerChild = 8;

/**
 * Diego's parallel action: starts every child and waits for all of them. A failure never
 * cancels siblings (only the outside signal does); the failures are aggregated, their
 * displayable messages joined with "; " and cancellations hidden.
 */
export class ParallelStep implements Step {
  constructor(private readonly steps: readonly Step[]) {}

  async run(signal: AbortSignal): Promise<void> {
    throwIfCancelled(signal);
    const fanOut = fanOutSignal(signal, 10 + listenersPerChild * this.steps.length);
    try {
      const results = await Promise.allSettled(this.steps.map((step) => step.run(fanOut.signal)));
      const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
      if (errors.length > 0) throw aggregateErrors(errors);
    } finally {
      fanOut.dispose();
    }
  }
}

/**
 * The children's signal: aborts with the parent's reason, and may carry a listener per request
 * of every child (Node warns about a leak past ten listeners on one signal, and ten children
 * each with a request in flight are no leak). The parent keeps a single listener.
 */
function fanOutSignal(parent: AbortSignal, maxListeners: number) {
  const controller = new AbortController();
  setMaxListeners(maxListeners, controller.signal);
  const onAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => parent.removeEventListener("abort", onAbort),
  };
}
