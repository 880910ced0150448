import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * logrotate names: `x.log` (current), `x.log.1`, `x.log.2.gz`, … (older as the number grows),
 * and `x.log.gz` when rotation compresses without numbering.
 */
const rotationSuffix = /^(.*?)(?:\.(\d+))?(\.gz)?$/;

interface Rotation {
  base: string;
  /** 0 for the live file; larger is older. `x.log.gz` counts as 0.5: older than live, newer than .1. */
  age: number;
}

function parseRotation(path: string): Rotation {
  const match = rotationSuffix.exec(path);
  const base = match?.[1] ?? path;
  const number = match?.[2];
  const gz = match?.[3] !== undefined;
  if (number !== undefined) return { base, age: Number(number) };
  return { base, age: gz ? 0.5 : 0 };
}

/**
 * Orders paths as given, except that members of one rotated set (say a shell glob `x.log*`) are
 * read oldest first, at the position of the set's first member. Lines then come out in time order.
 */
export function orderRotatedSets(paths: readonly string[]): string[] {
  const sets = new Map<string, string[]>();
  for (const path of paths) {
    const { base } = parseRotation(path);
    const members = sets.get(base) ?? [];
    if (!members.includes(path)) members.push(path);
    sets.set(base, members);
  }
  return [...sets.values()].flatMap((members) =>
    [...members].sort((a, b) => parseRotation(b).age - parseRotation(a).age),
  );
}

/**
 * `path` and its rotated siblings in the same directory, oldest first; [] when the directory is
 * unreadable. Synchronous, as the reads are: a thread-pool round trip costs more (issue 14).
 */
export function withRotatedSiblings(path: string): string[] {
  const dir = dirname(path);
  const name = basename(path);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const siblings = entries
    .filter((entry) => entry === name || isRotationOf(entry, name))
    .map((entry) => join(dir, entry));
  return orderRotatedSets(siblings);
}

function isRotationOf(entry: string, name: string): boolean {
  if (!entry.startsWith(`${name}.`)) return false;
  return /^(\d+)(\.gz)?$|^gz$/.test(entry.slice(name.length + 1));
}
