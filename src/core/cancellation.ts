/**
 * The one rule for turning an aborted AbortSignal into an error. Every blocking call takes an
 * AbortSignal; when it fires, the call rejects with `cancellation(signal)`:
 *
 * - the signal's reason, when it already is a CancelledError (Ctrl-C's `Interrupted by SIGINT`,
 *   a timeout step's TimeoutCancelledError, a sibling's "another cached dependency failed");
 * - otherwise (a bare `abort()`'s DOMException AbortError, any other value) a new CancelledError
 *   whose `cause` is that reason.
 *
 * So a cancelled call always rejects with a CancelledError (exit code of the interrupt, hidden
 * from aggregated step messages), and whoever aborts a signal with a CancelledError of their own
 * keeps its message and exit code.
 */
import { CancelledError } from "../errors.js";

/** The error to reject with once `signal` aborted (see the rule above). */
export function cancellation(signal: AbortSignal): CancelledError {
  const reason: unknown = signal.reason;
  if (reason instanceof CancelledError) return reason;
  return new CancelledError(undefined, { cause: reason });
}

/** Throws the signal's cancellation when it already aborted (no work may start then). */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancellation(signal);
}

/** True for the errors a cancellation rejects with (CancelledError and its subclasses). */
export function isCancellation(error: unknown): error is CancelledError {
  return error instanceof CancelledError;
}
