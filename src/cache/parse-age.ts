import { UsageError } from "../errors.js";

const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `--older-than` values: a whole number and a unit, `90s`, `30m`, `12h`, `7d`, `2w`. */
export function parseAge(text: string): number {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!match) {
    throw new UsageError(`--older-than takes a number and a unit (s, m, h, d, w), not '${text}'`, {
      hint: "For example: restager cache prune --older-than 7d",
    });
  }
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}
