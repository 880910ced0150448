import { scanValueEnd } from "./json-span.js";
import { parseLagerTime, type LagerTime } from "./lager-time.js";

export type LagerLevel = "debug" | "info" | "error" | "fatal";

/** One lager log entry, in either format (docs/diego.md §1.1–§1.2). */
export interface LagerLine {
  /** The text the entry was parsed from: the line itself (raw slices index into it). */
  text: string;
  /** Index of the entry's opening `{` in `text` (after any syslog prefix). */
  jsonStart: number;
  message: string;
  source: string | undefined;
  level: LagerLevel | undefined;
  time: LagerTime | undefined;
  data: Record<string, unknown>;
}

const levelsByNumber: readonly LagerLevel[] = ["debug", "info", "error", "fatal"];

/**
 * Parses a lager line. Like lager's own `chug` reader, everything before the entry's `{` is
 * ignored (syslog prefixes), and the object's end is found by bracket balancing so trailing
 * text is ignored too. Returns undefined for non-JSON, partial lines and JSON that is not a
 * lager entry (an object with a string `message` and an object `data`).
 */
export function parseLagerLine(text: string): LagerLine | undefined {
  const jsonStart = findEntryStart(text);
  if (jsonStart < 0) return undefined;
  const entry = parseEntry(text, jsonStart);
  if (!isObject(entry) || typeof entry.message !== "string" || !isObject(entry.data)) {
    return undefined;
  }
  return {
    text,
    jsonStart,
    message: entry.message,
    source: typeof entry.source === "string" ? entry.source : undefined,
    level: parseLevel(entry),
    time: parseLagerTime(entry.timestamp),
    data: entry.data,
  };
}

/**
 * The JSON value at `jsonStart`, trailing text ignored; undefined if it does not parse. Most
 * lines end with the entry: JSON.parse takes the rest of the line at once (a JSON text may end
 * in whitespace), and only when that fails is the end found by scanning, in JavaScript.
 */
function parseEntry(text: string, jsonStart: number): unknown {
  try {
    return JSON.parse(jsonStart === 0 ? text : text.slice(jsonStart)) as unknown;
  } catch {
    // Trailing text, or not JSON at all.
  }
  const end = scanValueEnd(text, jsonStart);
  if (end < 0) return undefined;
  try {
    return JSON.parse(text.slice(jsonStart, end)) as unknown;
  } catch {
    return undefined;
  }
}

/** Both lager formats start with the timestamp key; prefer that over a `{` inside a prefix. */
function findEntryStart(text: string): number {
  const lager = text.indexOf('{"timestamp"');
  return lager >= 0 ? lager : text.indexOf("{");
}

function parseLevel(entry: Record<string, unknown>): LagerLevel | undefined {
  if (typeof entry.log_level === "number") return levelsByNumber[entry.log_level];
  const level = entry.level;
  return typeof level === "string" && (levelsByNumber as readonly string[]).includes(level)
    ? (level as LagerLevel)
    : undefined;
}

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
