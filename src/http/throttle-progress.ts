/**
 * Wraps a progress callback so it runs at most once per interval; `final` calls always pass.
 */
export function throttleProgress(
  onProgress: ((bytes: number) => void) | undefined,
  intervalMs = 100,
  now: () => number = Date.now,
): (bytes: number, final: boolean) => void {
  if (!onProgress) return () => {};
  let last = Number.NEGATIVE_INFINITY;
  return (bytes, final) => {
    const time = now();
    if (!final && time - last < intervalMs) return;
    last = time;
    onProgress(bytes);
  };
}
