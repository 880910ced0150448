/**
 * Who owns what a restage leaves on the engine and on disk: the restager process, named by
 * `<machine>/<pid>/<start>` (machine = boot id + pid namespace, start = the process's start
 * time in clock ticks since boot). Every container, dependency volume and temp directory of a
 * run carries it, so a later run can tell a live owner (leave it alone) from a dead one (reap).
 *
 * A process can judge only owners of its own machine and pid namespace; anything else (another
 * host on the same engine, restager inside another container) is `unknown`, and callers keep
 * their time-based rules for it.
 */
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";

export type OwnerState = "alive" | "gone" | "unknown";

export interface RunOwner {
  machine: string;
  pid: number;
  /** 0 when the start time cannot be read (no /proc). */
  start: number;
}

let current: RunOwner | undefined;

/** This process as an owner. */
export function currentOwner(): RunOwner {
  current ??= { machine: machineId(), pid: process.pid, start: startTicks(process.pid) ?? 0 };
  return current;
}

export function formatOwner(owner: RunOwner): string {
  return `${owner.machine}/${owner.pid}/${owner.start}`;
}

export function parseOwner(text: string | undefined): RunOwner | undefined {
  const match = /^([\w.:-]+)\/(\d+)\/(\d+)$/.exec(text ?? "");
  if (!match) return undefined;
  return { machine: match[1] ?? "", pid: Number(match[2]), start: Number(match[3]) };
}

/** Whether `owner` (a label or name part) is still running, as far as this process can tell. */
export function ownerState(owner: RunOwner | string | undefined): OwnerState {
  const parsed = typeof owner === "string" || owner === undefined ? parseOwner(owner) : owner;
  const me = currentOwner();
  if (!parsed || parsed.machine !== me.machine) return "unknown";
  if (parsed.pid === me.pid && parsed.start === me.start) return "alive";
  if (me.start === 0) return pidExists(parsed.pid) ? "alive" : "gone";
  // A pid reused by another process has another start time.
  return startTicks(parsed.pid) === parsed.start ? "alive" : "gone";
}

/** One word for a machine and its pid namespace; the host name where /proc is missing. */
function machineId(): string {
  try {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim().slice(0, 8);
    const pidNamespace = /\[(\d+)\]/.exec(readlinkSync("/proc/self/ns/pid"))?.[1] ?? "0";
    return `${boot}-${pidNamespace}`;
  } catch {
    return hostname().replace(/[^A-Za-z0-9.-]/g, "-") || "host";
  }
}

/** Field 22 of /proc/<pid>/stat; undefined when the process is gone or a zombie. */
function startTicks(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (fields[0] === "Z" || fields[0] === "X") return undefined;
  const value = Number(fields[19]);
  return Number.isInteger(value) ? value : undefined;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
