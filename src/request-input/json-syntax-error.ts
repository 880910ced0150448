/** Where a text stops being JSON, for error messages (JSON.parse's messages lack positions). */
export interface JsonSyntaxError {
  /** 0-based character offset. */
  offset: number;
  /** 1-based line and column. */
  line: number;
  column: number;
  message: string;
}

/** Thrown inside the scanner to unwind to locateJsonSyntaxError; never escapes it. */
class SyntaxStop extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const escapes = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const maxDepth = 10_000;

/** The first syntax error of `text` read as one JSON value, or undefined when it is valid. */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    let at = parseValue(text, skipWhitespace(text, 0), 0);
    at = skipWhitespace(text, at);
    if (at < text.length) throw new SyntaxStop(at, "unexpected text after the JSON value");
    return undefined;
  } catch (error) {
    if (!(error instanceof SyntaxStop)) throw error;
    return { ...lineAndColumn(text, error.offset), offset: error.offset, message: error.message };
  }
}

function parseValue(text: string, at: number, depth: number): number {
  if (depth > maxDepth) throw new SyntaxStop(at, "nested too deeply");
  const c = text[at];
  if (c === undefined) throw new SyntaxStop(at, "unexpected end of input");
  if (c === "{") return parseContainer(text, at, { depth, close: "}" });
  if (c === "[") return parseContainer(text, at, { depth, close: "]" });
  if (c === '"') return parseString(text, at);
  for (const literal of ["true", "false", "null"]) {
    if (text.startsWith(literal, at)) return at + literal.length;
  }
  numberPattern.lastIndex = at;
  if (numberPattern.exec(text)) return numberPattern.lastIndex;
  throw new SyntaxStop(at, `unexpected character ${JSON.stringify(c)}`);
}

/** An object (`close` = "}") or an array (`close` = "]"). */
function parseContainer(
  text: string,
  open: number,
  { depth, close }: { depth: number; close: "}" | "]" },
): number {
  let at = skipWhitespace(text, open + 1);
  if (text[at] === close) return at + 1;
  for (;;) {
    if (close === "}") {
      if (text[at] !== '"') throw new SyntaxStop(at, "expected a property name in double quotes");
      at = skipWhitespace(text, parseString(text, at));
      if (text[at] !== ":") throw new SyntaxStop(at, "expected ':' after the property name");
      at = skipWhitespace(text, at + 1);
    }
    at = skipWhitespace(text, parseValue(text, at, depth + 1));
    if (text[at] === close) return at + 1;
    if (text[at] !== ",") {
      const end = at >= text.length ? "unexpected end of input: " : "";
      throw new SyntaxStop(at, `${end}expected ',' or '${close}'`);
    }
    at = skipWhitespace(text, at + 1);
  }
}

function parseString(text: string, open: number): number {
  let at = open + 1;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === 0x22) return at + 1;
    if (c < 0x20) throw new SyntaxStop(at, "control character inside a string");
    if (c === 0x5c) {
      const next = text[at + 1] ?? "";
      if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) at += 6;
      else if (escapes.has(next)) at += 2;
      else throw new SyntaxStop(at, "invalid escape sequence in a string");
    } else at++;
  }
  throw new SyntaxStop(open, "unterminated string");
}

function skipWhitespace(text: string, from: number): number {
  let at = from;
  while (at < text.length && " \t\n\r".includes(text.charAt(at))) at++;
  return at;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf("\n"); at >= 0 && at < offset; at = text.indexOf("\n", at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
