import { CancelledError } from "../errors.js";

/** Throws the signal's reason when it is an Error (ours are), else CancelledError. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw reason instanceof Error && reason.name !== "AbortError"
    ? reason
    : new CancelledError(undefined, { cause: reason });
}
