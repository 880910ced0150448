import { CandidateFinder } from "./candidate-finder.js";
import { decode, toBuffer, type Line, type ReadLinesOptions } from "./read-lines.js";

export interface ScanOptions extends ReadLinesOptions {
  /** The needles of candidate lines; default candidateNeedles. */
  needles?: readonly string[] | undefined;
  /**
   * The finder to search with (instead of one for `needles`): chunks read into its
   * `blockBuffer` are searched and counted by its byte kernel.
   */
  finder?: CandidateFinder | undefined;
  /**
   * Counts of lines read and not too long (`lines`), and of those the non-candidate ones without
   * a `{` (`nonJson`), added up since the last call. Called before each yielded line and at the
   * end, so totals are exact whenever the consumer looks.
   */
  onLines?: (lines: number, nonJson: number) => void;
  /**
   * False: lines are not counted (about a fifth of a scan's time); yielded lines and
   * `onTooLong` get line number 0 and the line's byte offset instead, and `onLines` is not
   * called. Default true.
   */
  countLines?: boolean | undefined;
  /** With countLines false, called for each skipped over-long line (not `onTooLong`). */
  onTooLongAt?: ((offset: number, bytes: number) => void) | undefined;
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
  private readonly counting: boolean;
  /** Byte offset of the current chunk in the input, and of the carried line's first byte. */
  private base = 0;
  private carriedStart = 0;

  constructor(private readonly options: ScanOptions) {
    this.finder = options.finder ?? new CandidateFinder(options.needles);
    this.counting = options.countLines !== false;
  }

  *feed(buffer: Buffer): Generator<Line> {
    const first = buffer.indexOf(newline);
    if (first < 0) {
      this.keep(buffer, this.base);
      this.base += buffer.length;
      return;
    }
    yield* this.endCarried(buffer.subarray(0, first));
    const last = buffer.lastIndexOf(newline);
    if (last > first) yield* this.scanWhole(buffer, first + 1, last);
    this.keep(buffer.subarray(last + 1), this.base + last + 1);
    this.base += buffer.length;
    this.flush();
  }

  *finish(): Generator<Line> {
    if (this.pending > 0) yield* this.endCarried(Buffer.alloc(0));
    this.flush();
  }

  /** Ends the line carried over from earlier chunks with `tail` (at most one per chunk). */
  private *endCarried(tail: Buffer): Generator<Line> {
    const bytes = this.pending + tail.length;
    const start = this.pending > 0 ? this.carriedStart : this.base;
    const parts = this.parts;
    this.parts = [];
    this.pending = 0;
    this.lineNo++;
    if (bytes > this.options.maxLineBytes) {
      this.tooLong(start, bytes);
      return;
    }
    const whole = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
    if (this.finder.holds(whole)) {
      yield this.emit(decode([], whole), start);
      return;
    }
    if (!this.counting) return;
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
      if (end - start > this.options.maxLineBytes) this.tooLong(this.base + start, end - start);
      else yield this.emit(decode([], buffer.subarray(start, end)), this.base + start);
      counted = end + 1;
    }
    this.countLines(buffer, counted, to + 1);
  }

  /** Counts the non-candidate lines in `buffer[from, to)`, each ending in a newline. */
  private countLines(buffer: Buffer, from: number, to: number): void {
    if (!this.counting || this.countInBulk(buffer, from, to)) return;
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

  /**
   * Counts the lines of `buffer[from, to)` with the byte kernel when it holds the buffer, and
   * then only if none can be too long and each starts with `{` (so none is non-JSON), as lager's
   * lines do; false leaves the range to the line-by-line count.
   */
  private countInBulk(buffer: Buffer, from: number, to: number): boolean {
    if (from >= to) return true;
    const kernel = this.finder.kernelOf(buffer);
    if (kernel === undefined || to - from > this.options.maxLineBytes) return false;
    // Every line of the range ends in a newline: the last one is not followed inside it.
    const { newlines: lines, braced } = kernel.countLines(buffer, [from, to]);
    if (!braced || buffer[from] !== openBrace) return false;
    this.lineNo += lines;
    this.lines += lines;
    return true;
  }

  /** Carries `part` (at byte `at` of the input) into the next chunk's first line. */
  private keep(part: Buffer, at: number): void {
    if (this.pending === 0) this.carriedStart = at;
    if (this.pending + part.length > this.options.maxLineBytes) this.parts = [];
    else if (part.length > 0) this.parts.push(Buffer.from(part));
    this.pending += part.length;
  }

  private emit(text: string, offset: number): Line {
    if (!this.counting) return { lineNo: 0, text, offset };
    this.lines++;
    this.flush();
    return { lineNo: this.lineNo, text };
  }

  private tooLong(offset: number, bytes: number): void {
    if (this.counting) this.options.onTooLong?.(this.lineNo, bytes);
    else this.options.onTooLongAt?.(offset, bytes);
  }

  private flush(): void {
    if (!this.counting || (this.lines === 0 && this.nonJson === 0)) return;
    this.options.onLines?.(this.lines, this.nonJson);
    this.lines = 0;
    this.nonJson = 0;
  }
}
