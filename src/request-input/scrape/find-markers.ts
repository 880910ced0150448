/**
 * Values lager altered before writing them (docs/diego.md §1.3): its RedactingSink replaces
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
/** `\u` escapes of the characters of both markers (`*()-ACDERTacdenrtu`), any hex case. */
const markerCharacterEscape = /\\u00(?:2[89ad]|4[1345]|5[24]|6[1345e]|7[245])/i;
const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every marked string value of `value`, in document order, at most `limit` of them. */
export function findMarkers(value: unknown, limit = 20): MarkedValue[] {
  const found: MarkedValue[] = [];
  walk(value, { found, limit, path: [] });
  return found;
}

/**
 * The markers of a payload parsed from `rawText`, its JSON text. A decoded string holds a marker
 * only if the text does, or spells one of its characters as a `\uXXXX` escape; without either,
 * there is none and the payload is not walked (a request has thousands of values).
 */
export function findMarkersInJson(payload: unknown, rawText: string): MarkedValue[] {
  const mayHold =
    rawText.includes(redactedMarker) ||
    rawText.includes(truncatedMarker) ||
    markerCharacterEscape.test(rawText);
  return mayHold ? findMarkers(payload) : [];
}

/**
 * The path is kept as a stack of keys and indices and spelled out only for a marked value: a
 * payload has thousands of values and hardly ever a marker.
 */
function walk(
  value: unknown,
  into: { found: MarkedValue[]; limit: number; path: (string | number)[] },
): void {
  const { found, limit, path } = into;
  if (found.length >= limit) return;
  if (typeof value === "string") {
    const kind = markerIn(value);
    if (kind) found.push({ path: spell(path), kind });
  } else if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      walk(value[index], into);
      path.pop();
    }
  } else if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) {
      path.push(key);
      walk((value as Record<string, unknown>)[key], into);
      path.pop();
    }
  }
}

/** `action.serial.actions[1].run.env[2].value`; `(root)` for the payload itself. */
function spell(path: readonly (string | number)[]): string {
  let spelled = "";
  for (const step of path) spelled = childPath(spelled, step);
  return spelled || "(root)";
}

function markerIn(text: string): MarkerKind | undefined {
  if (text.includes(redactedMarker)) return "redacted";
  if (text.includes(truncatedMarker)) return "truncated";
  return undefined;
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (!identifierPattern.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/** What lager did, in words, for messages. */
export function describeMarker(kind: MarkerKind): string {
  return kind === "redacted"
    ? `replaced by lager's redacting sink ("${redactedMarker}")`
    : `cut by lager's truncating sink ("…${truncatedMarker}")`;
}
