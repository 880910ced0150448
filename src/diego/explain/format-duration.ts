/**
 * A short human duration: `15m`, `1h30m`, `30s`, `1m30s`, `500ms`, `1.5s`. Whole units only
 * from seconds up; the plan shows timeouts, which are rounded values in practice.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return `${ms}ms`;
  if (ms < 1000) return `${ms}ms`;
  if (ms % 1000 !== 0 && ms < 60_000) return `${ms / 1000}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const parts = [
    hours ? `${hours}h` : "",
    minutes ? `${minutes}m` : "",
    seconds ? `${seconds}s` : "",
  ];
  return parts.join("") || "0s";
}
