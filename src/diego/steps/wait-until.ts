/**
 * Waits for a promise, an abort, or a timer, whichever comes first, and always cleans up the
 * listener and the timer it installed (so a finished wait never keeps the event loop alive).
 * Timers go through setTimeout so vitest's fake timers control them.
 */
export type WaitOutcome<T> =
  { kind: "settled"; value: T } | { kind: "aborted" } | { kind: "timed-out" };

export interface WaitOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/** setTimeout fires at once beyond this delay (Node's TimeoutOverflowWarning); we clamp to it. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export async function waitUntil<T>(
  promise: Promise<T>,
  options: WaitOptions,
): Promise<WaitOutcome<T>> {
  const { signal, timeoutMs } = options;
  if (signal?.aborted) return { kind: "aborted" };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const interrupted = new Promise<WaitOutcome<T>>((resolve) => {
    if (timeoutMs !== undefined) {
      const delay = Math.min(Math.max(timeoutMs, 0), MAX_TIMER_MS);
      timer = setTimeout(() => resolve({ kind: "timed-out" }), delay);
    }
    if (signal) {
      onAbort = () => resolve({ kind: "aborted" });
      signal.addEventListener("abort", onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([
      promise.then((value): WaitOutcome<T> => ({ kind: "settled", value })),
      interrupted,
    ]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (signal && onAbort) signal.removeEventListener("abort", onAbort);
  }
}
