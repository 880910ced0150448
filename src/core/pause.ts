/**
 * Waits `ms`, or less when `signal` aborts: it never rejects, so a polling loop checks its
 * signal itself and stops at once (src/launch/wait-instances.ts, src/launch/startup-probe.ts).
 */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
