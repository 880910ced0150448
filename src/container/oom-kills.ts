/**
 * Docker's State.OOMKilled only reports an OOM kill of the container's init process, never of
 * an exec'd one (checked on Engine 20.10), and every process restager runs is exec'd. The
 * kernel's own counter does see them: `oom_kill N` in the container's cgroup, in
 * `memory.events` (cgroup v2) or `memory/memory.oom_control` (cgroup v1, kernel ≥ 4.13).
 */
export const oomKillsScript =
  "cat /sys/fs/cgroup/memory.events 2>/dev/null || cat /sys/fs/cgroup/memory/memory.oom_control";

/** The `oom_kill` count in either file's text, or undefined when it has none. */
export function parseOomKills(text: string): number | undefined {
  const match = /^oom_kill (\d+)$/m.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
