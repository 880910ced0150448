/** One line of input, without its terminator (`\n` or `\r\n`). */
export interface Line {
  /** 1-based line number in its source. */
  lineNo: number;
  text: string;
  /** The line's byte offset in its input, when lines were not counted (lineNo is then 0). */
  offset?: number | undefined;
}

export interface ReadLinesOptions {
  /** Lines longer than this many bytes are skipped without being buffered whole. */
  maxLineBytes: number;
  /** Called for each skipped over-long line, with its size. */
  onTooLong?: (lineNo: number, bytes: number) => void;
  signal?: AbortSignal | undefined;
}

/** 16 MiB: ten times the largest task definition seen in practice (10–50 KB). */
export const defaultMaxLineBytes = 16 * 1024 * 1024;

const newline = 0x0a;

/**
 * Splits a byte stream into lines. Memory stays bounded by the longest line kept (readline
 * would buffer any line whole, however long). Invalid UTF-8 is decoded as U+FFFD; such lines
 * are never requests anyway.
 */
export async function* readLines(
  stream: AsyncIterable<unknown>,
  options: ReadLinesOptions,
): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let pending = 0;
  let lineNo = 0;
  for await (const chunk of stream) {
    options.signal?.throwIfAborted();
    const buffer = toBuffer(chunk);
    let from = 0;
    for (let at = buffer.indexOf(newline); at >= 0; at = buffer.indexOf(newline, from)) {
      lineNo++;
      const bytes = pending + at - from;
      if (bytes > options.maxLineBytes) options.onTooLong?.(lineNo, bytes);
      else yield { lineNo, text: decode(parts, buffer.subarray(from, at)) };
      parts = [];
      pending = 0;
      from = at + 1;
    }
    const rest = buffer.length - from;
    if (pending + rest > options.maxLineBytes) parts = [];
    else if (rest > 0) parts.push(buffer.subarray(from));
    pending += rest;
  }
  if (pending === 0) return;
  lineNo++;
  if (pending > options.maxLineBytes) options.onTooLong?.(lineNo, pending);
  else yield { lineNo, text: decode(parts, Buffer.alloc(0)) };
}

/** A stream chunk as a Buffer (file streams give Buffers; in-memory streams may give strings). */
export function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  throw new TypeError(`readLines: unexpected chunk type ${typeof chunk}`);
}

/** The line held in `parts` + `last` as text, a trailing `\r` dropped. */
export function decode(parts: readonly Buffer[], last: Buffer): string {
  const whole = parts.length === 0 ? last : Buffer.concat([...parts, last]);
  const end =
    whole.length > 0 && whole[whole.length - 1] === 0x0d ? whole.length - 1 : whole.length;
  return whole.toString("utf8", 0, end);
}
