import { CandidateFinder } from "./candidate-finder.js";
import { decode, toBuffer, type Line, type ReadLinesOptions } from "./read-lines.js";

export interface ScanOptions extends ReadLinesOptions {
  /** The needles of candidate lines; default candidateNeedles. */
  needles?: readonly string[] | undefined;
  /**
   * Counts of lines read and not too long (`lines`), and of those the non-candidate ones without
   * a `{` (`nonJson`), added up since the last call. Called before each yielded line and at the
   * end, so totals are exact whenever the consumer looks.
   */
  onLines?: (lines: number, nonJson: number) => void;
}

const newline = 0x0a;
const openBrace = 0x7b;

/**
 * The lines of a byte stream that `isCandidateLine` would accept, with their line numbers; all
 * other lines are only counted, never decoded. Splits and skips over-long lines exactly as
 * `readLines` does (same numbering, same `onTooLong` calls), at a fraction of the cost: each
 * chunk's raw bytes are searched for the needles (candidate-finder.ts), and only the lines
 * holding one are decoded. Chunks may be one reused buffer: nothing is kept past a `feed` call
 * but copies.
 */
export async function* scanCandidates(
  stream: AsyncIterable<unknown>,
  options: ScanOptions,
): AsyncGenerator<Line> {
  const scanner = new CandidateScanner(options);
  for await (const chunk of stream) {
    options.signal?.throwIfAborted();
    yield* scanner.feed(toBuffer(chunk));
  }
  yield* scanner.finish();
}

class CandidateScanner {
  private readonly finder: CandidateFinder;
  /** Lines completed so far (the number of the last one). */
  private lineNo = 0;
  /** The unfinished line's bytes from earlier chunks; dropped once it is too long. */
  private parts: Buffer[] = [];
  private pending = 0;
  private lines = 0;
  private nonJson = 0;

  constructor(private readonly options: ScanOptions) {
    this.finder = new CandidateFinder(options.needles);
  }

  *feed(buffer: Buffer): Generator<Line> {
    const first = buffer.indexOf(newline);
    if (first < 0) {
      this.keep(buffer);
      return;
    }
    yield* this.endCarried(buffer.subarray(0, first));
    const last = buffer.lastIndexOf(newline);
    if (last > first) yield* this.scanWhole(buffer, first + 1, last);
    this.keep(buffer.subarray(last + 1));
    this.flush();
  }

  *finish(): Generator<Line> {
    if (this.pending > 0) yield* this.endCarried(Buffer.alloc(0));
    this.flush();
  }

  /** Ends the line carried over from earlier chunks with `tail` (at most one per chunk). */
  private *endCarried(tail: Buffer): Generator<Line> {
    const bytes = this.pending + tail.length;
    const parts = this.parts;
    this.parts = [];
    this.pending = 0;
    this.lineNo++;
    if (bytes > this.options.maxLineBytes) {
      this.options.onTooLong?.(this.lineNo, bytes);
      return;
    }
    const whole = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
    if (this.finder.holds(whole)) {
      yield this.emit(decode([], whole));
      return;
    }
    this.lines++;
    if (!whole.includes(openBrace)) this.nonJson++;
  }

  /** The whole lines in `buffer[from, to]`; `buffer[to]` is a newline, as is `buffer[from - 1]`. */
  private *scanWhole(buffer: Buffer, from: number, to: number): Generator<Line> {
    let counted = from;
    for (const hit of this.finder.hits(buffer, from, to)) {
      if (hit < counted) continue; // another needle of a line already taken
      const start = buffer.lastIndexOf(newline, hit) + 1;
      const end = buffer.indexOf(newline, hit);
      this.countLines(buffer, counted, start);
      this.lineNo++;
      if (end - start > this.options.maxLineBytes)
        this.options.onTooLong?.(this.lineNo, end - start);
      else yield this.emit(decode([], buffer.subarray(start, end)));
      counted = end + 1;
    }
    this.countLines(buffer, counted, to + 1);
  }

  /** Counts the non-candidate lines in `buffer[from, to)`, each ending in a newline. */
  private countLines(buffer: Buffer, from: number, to: number): void {
    let brace = -1;
    for (let start = from; start < to;) {
      const end = buffer.indexOf(newline, start);
      this.lineNo++;
      if (end - start > this.options.maxLineBytes) {
        this.options.onTooLong?.(this.lineNo, end - start);
      } else {
        this.lines++;
        // Lager lines start with `{`; otherwise find the next brace once and reuse it.
        if (buffer[start] !== openBrace) {
          if (brace < start) brace = buffer.indexOf(openBrace, start);
          if (brace < 0) brace = Infinity;
          if (brace > end) this.nonJson++;
        }
      }
      start = end + 1;
    }
  }

  private keep(part: Buffer): void {
    if (this.pending + part.length > this.options.maxLineBytes) this.parts = [];
    else if (part.length > 0) this.parts.push(Buffer.from(part));
    this.pending += part.length;
  }

  private emit(text: string): Line {
    this.lines++;
    this.flush();
    return { lineNo: this.lineNo, text };
  }

  private flush(): void {
    if (this.lines === 0 && this.nonJson === 0) return;
    this.options.onLines?.(this.lines, this.nonJson);
    this.lines = 0;
    this.nonJson = 0;
  }
}
