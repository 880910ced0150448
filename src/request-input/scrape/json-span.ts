/**
 * A structural JSON scanner: finds where values end and where an object's members sit, without
 * building values. Payloads are printed as the exact slice of the log line, because
 * JSON.parse + JSON.stringify would round nanosecond integers (`created_at`) and undo Go's
 * `\u0026` escapes, and users diff what we print against what they captured.
 *
 * The scanner is lenient: it only tracks strings and bracket depth. Callers validate the same
 * text with JSON.parse. On incomplete input it returns -1 / undefined rather than throwing.
 */

/** A half-open range `[start, end)` of string indices. */
export interface Span {
  start: number;
  end: number;
}

const quote = 0x22;
const backslash = 0x5c;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const colon = 0x3a;
const comma = 0x2c;

/**
 * The span of the value reached by following object keys `path` from the object at `start`
 * (e.g. `["data", "taskDefinition"]`), or undefined when a key is missing or not inside an object.
 * With duplicate keys the last one wins, as with JSON.parse.
 */
export function jsonSpan(text: string, start: number, path: readonly string[]): Span | undefined {
  if (path.length > 0) return followPath(text, start, path)?.found;
  const end = scanValueEnd(text, start);
  return end >= 0 ? { start, end } : undefined;
}

/** Index just past the JSON value starting at `start` (after whitespace is skipped by the caller), or -1. */
export function scanValueEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === quote) return scanStringEnd(text, start);
  if (first !== openBrace && first !== openBracket) return scanScalarEnd(text, start);
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      i = scanStringEnd(text, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === openBrace || c === openBracket) depth++;
    else if (c === closeBrace || c === closeBracket) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/** Index just past the closing quote of the string opening at `start`, or -1. */
function scanStringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === backslash) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

function scanScalarEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && !isScalarTerminator(text.charCodeAt(i))) i++;
  return i > start ? i : -1;
}

function isScalarTerminator(c: number): boolean {
  return c === comma || c === closeBrace || c === closeBracket || isWhitespace(c);
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Scans the object opening at `objectStart` to its end, following `path` into the value of the
 * last member named `path[0]`: the value at the path's end (or undefined), and the index just
 * past the object; undefined when the object is cut short or malformed. A member on the path is
 * scanned only once, by descending into it: a request line's `data` is nearly all of it.
 */
function followPath(
  text: string,
  objectStart: number,
  path: readonly string[],
): { found: Span | undefined; end: number } | undefined {
  if (text.charCodeAt(objectStart) !== openBrace) return undefined;
  const [key, ...rest] = path;
  let found: Span | undefined;
  let i = skipWhitespace(text, objectStart + 1);
  if (text.charCodeAt(i) === closeBrace) return { found, end: i + 1 };
  for (;;) {
    if (text.charCodeAt(i) !== quote) return undefined;
    const keyEnd = scanStringEnd(text, i);
    if (keyEnd < 0) return undefined;
    const name = decodeKey(text.slice(i, keyEnd));
    i = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(i) !== colon) return undefined;
    const valueStart = skipWhitespace(text, i + 1);
    const inner = name === key && rest.length > 0 ? followPath(text, valueStart, rest) : undefined;
    const valueEnd = inner?.end ?? scanValueEnd(text, valueStart);
    if (valueEnd < 0) return undefined;
    if (name === key) found = rest.length > 0 ? inner?.found : { start: valueStart, end: valueEnd };
    i = skipWhitespace(text, valueEnd);
    const c = text.charCodeAt(i);
    if (c === closeBrace) return { found, end: i + 1 };
    if (c !== comma) return undefined;
    i = skipWhitespace(text, i + 1);
  }
}

/** Decodes a quoted key; escapes are rare in keys, so JSON.parse only runs when one is present. */
function decodeKey(quoted: string): string {
  if (!quoted.includes("\\")) return quoted.slice(1, -1);
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}
