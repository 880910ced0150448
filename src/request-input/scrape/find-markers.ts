/**
 * Values lager altered before writing them (diego-reference.md §1.3): its RedactingSink replaces
 * secrets with `*REDACTED*`, its TruncatingSink cuts long strings to `prefix-(truncated)`. A
 * payload with either is not what Diego ran, so it must not be replayed.
 */
export type MarkerKind = "redacted" | "truncated";

export interface MarkedValue {
  /** JSON path inside the payload, e.g. `action.serial.actions[1].run.env[2].value`. */
  path: string;
  kind: MarkerKind;
}

const redactedMarker = "*REDACTED*";
const truncatedMarker = "-(truncated)";
const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every marked string value of `value`, in document order, at most `limit` of them. */
export function findMarkers(value: unknown, limit = 20): MarkedValue[] {
  const found: MarkedValue[] = [];
  walk(value, "", { found, limit });
  return found;
}

function walk(value: unknown, path: string, into: { found: MarkedValue[]; limit: number }): void {
  const { found, limit } = into;
  if (found.length >= limit) return;
  if (typeof value === "string") {
    const kind = markerIn(value);
    if (kind) found.push({ path: path || "(root)", kind });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${path}[${index}]`, into));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) walk(item, childPath(path, key), into);
  }
}

function markerIn(text: string): MarkerKind | undefined {
  if (text.includes(redactedMarker)) return "redacted";
  if (text.includes(truncatedMarker)) return "truncated";
  return undefined;
}

function childPath(parent: string, key: string): string {
  if (!identifierPattern.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/** What lager did, in words, for messages. */
export function describeMarker(kind: MarkerKind): string {
  return kind === "redacted"
    ? `replaced by lager's redacting sink ("${redactedMarker}")`
    : `cut by lager's truncating sink ("…${truncatedMarker}")`;
}
