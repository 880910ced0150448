import { CancelledError } from "../../errors.js";

export interface InterruptSignal {
  signal: AbortSignal;
  /** Which signal arrived, if any. */
  received(): NodeJS.Signals | undefined;
  dispose(): void;
}

/**
 * Turns the first SIGINT/SIGTERM into an abort (the run stops its processes and removes its
 * containers in `finally` blocks); a second one is left to Node's default (exit at once).
 */
export function interruptSignal(onInterrupt?: (signal: NodeJS.Signals) => void): InterruptSignal {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    received = signal;
    dispose();
    onInterrupt?.(signal);
    controller.abort(new CancelledError(`Interrupted by ${signal}`));
  };
  const dispose = () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  return { signal: controller.signal, received: () => received, dispose };
}
