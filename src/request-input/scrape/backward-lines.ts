/**
 * The candidate lines of a plain (uncompressed) log file, last line first. The latest request
 * is normally near the end of a log, so the scraper reads from the end backwards and stops at the
 * first request it wants, instead of reading gigabytes forward.
 *
 * The file is read in blocks into one reused buffer; each block's raw bytes are searched for the
 * candidate needles (candidate-finder.ts) and only lines holding one are decoded. The line that straddles two blocks is carried (copied) until its start is
 * read; a line longer than `maxLineBytes` is dropped as it grows, never held whole, and reported
 * through `onTooLong`. A last line without a newline counts; `\r\n` endings lose their `\r`.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { CandidateFinder, kernelAfterBytes } from "./candidate-finder.js";
import { decode } from "./read-lines.js";

export interface BackwardLine {
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  text: string;
}

export interface BackwardOptions {
  maxLineBytes: number;
  /** The needles of candidate lines; default candidateNeedles. */
  needles?: readonly string[] | undefined;
  /** Block size; 1 MiB by default (tests use tiny blocks to cross boundaries). */
  blockBytes?: number | undefined;
  /** Bytes read before the byte kernel is used (default kernelAfterBytes; tests use 0). */
  kernelAfterBytes?: number | undefined;
  onTooLong?: ((offset: number, bytes: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

const newline = 0x0a;
const defaultBlockBytes = 1024 * 1024;
/** Blocks between turns of the event loop (reads are synchronous, see readFully). */
const yieldEvery = 32;

export async function* candidateLinesBackwards(
  path: string,
  options: BackwardOptions,
): AsyncGenerator<BackwardLine> {
  const fd = openSync(path, "r");
  try {
    const { size } = fstatSync(fd);
    const finder = new CandidateFinder(options.needles);
    const blockBytes = Math.min(options.blockBytes ?? defaultBlockBytes, size);
    let kernelAfter = options.kernelAfterBytes ?? kernelAfterBytes;
    // Blocks are copied from where kept (Carry), so the buffer may change between them.
    let buffer = kernelAfter > 0 ? Buffer.allocUnsafe(blockBytes) : finder.blockBuffer(blockBytes);
    const carry = new Carry(options.maxLineBytes, finder);
    for (let end = size, blocks = 1; end > 0; blocks++) {
      if (blocks % yieldEvery === 0) await new Promise((done) => setImmediate(done));
      options.signal?.throwIfAborted();
      if (kernelAfter > 0 && size - end >= kernelAfter) {
        buffer = finder.blockBuffer(blockBytes);
        kernelAfter = 0;
      }
      const start = Math.max(0, end - buffer.length);
      const block = buffer.subarray(0, end - start);
      readFully(fd, block, start);
      yield* blockLines({ block, start }, carry, options);
      end = start;
    }
    if (carry.bytes > 0 || carry.tooLong) yield* carry.complete(0, options);
  } finally {
    closeSync(fd);
  }
}

/** Bytes of the file and the file offset they start at. */
interface Block {
  block: Buffer;
  start: number;
}

/** The candidate lines that end in `block` (which starts at file offset `start`), last first. */
function* blockLines(
  { block, start }: Block,
  carry: Carry,
  options: BackwardOptions,
): Generator<BackwardLine> {
  const last = block.lastIndexOf(newline);
  if (last < 0) {
    carry.prepend(block);
    return;
  }
  // The bytes after the last newline finish the line carried from the later blocks.
  carry.prepend(block.subarray(last + 1));
  if (carry.bytes > 0 || carry.tooLong) yield* carry.complete(start + last + 1, options);
  const first = block.indexOf(newline);
  yield* wholeLines({ block, start }, { from: first + 1, to: last, finder: carry.finder }, options);
  carry.prepend(block.subarray(0, first));
}

/**
 * Candidate lines in `block[from, to)`, last first; every line there ends with a newline
 * (`block[to]`), and `block[from - 1]` is one.
 */
function* wholeLines(
  { block, start }: Block,
  { from, to, finder }: { from: number; to: number; finder: CandidateFinder },
  options: BackwardOptions,
): Generator<BackwardLine> {
  const hits = finder.hits(block, from, to);
  let limit = to;
  for (let index = hits.length - 1; index >= 0; index--) {
    const hit = hits[index] as number;
    if (hit >= limit) continue; // another needle of a line already taken
    const lineStart = block.lastIndexOf(newline, hit) + 1;
    const lineEnd = block.indexOf(newline, hit);
    if (lineEnd - lineStart > options.maxLineBytes) {
      options.onTooLong?.(start + lineStart, lineEnd - lineStart);
    } else {
      yield { offset: start + lineStart, text: decode([], block.subarray(lineStart, lineEnd)) };
    }
    limit = lineStart;
  }
}

/** The line that began before the current block: its later parts, copied, or only its size. */
class Carry {
  private parts: Buffer[] = [];
  bytes = 0;
  tooLong = false;

  constructor(
    private readonly maxLineBytes: number,
    /** The needles of the scan, also for the carried line. */
    readonly finder: CandidateFinder,
  ) {}

  prepend(part: Buffer): void {
    this.bytes += part.length;
    if (this.bytes > this.maxLineBytes) {
      this.parts = [];
      this.tooLong = true;
    } else if (part.length > 0) {
      this.parts.unshift(Buffer.from(part));
    }
  }

  /** Ends the carried line (it starts at `offset`), yielding it when it is a candidate. */
  *complete(offset: number, options: BackwardOptions): Generator<BackwardLine> {
    const { parts, bytes, tooLong } = this;
    this.parts = [];
    this.bytes = 0;
    this.tooLong = false;
    if (tooLong) {
      options.onTooLong?.(offset, bytes);
      return;
    }
    const whole = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    if (this.finder.holds(whole)) {
      yield { offset, text: decode([], whole) };
    }
  }
}

/**
 * Synchronous: from the page cache a thread-pool round trip per block cost more than the read
 * itself (issue 14 goal 4).
 */
function readFully(fd: number, block: Buffer, position: number): void {
  for (let done = 0; done < block.length;) {
    const bytesRead = readSync(fd, block, done, block.length - done, position + done);
    if (bytesRead === 0) throw new Error(`the file shrank while it was read`);
    done += bytesRead;
  }
}

/** The 1-based number of the line starting at byte `offset` (counts the newlines before it). */
export async function lineNumberAt(path: string, offset: number): Promise<number> {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(defaultBlockBytes);
    let lines = 1;
    for (let position = 0, blocks = 1; position < offset; blocks++) {
      if (blocks % yieldEvery === 0) await new Promise((done) => setImmediate(done));
      const length = Math.min(buffer.length, offset - position);
      const bytesRead = readSync(fd, buffer, 0, length, position);
      if (bytesRead === 0) break;
      for (let at = buffer.indexOf(newline, 0); at >= 0 && at < bytesRead;) {
        lines++;
        at = buffer.indexOf(newline, at + 1);
      }
      position += bytesRead;
    }
    return lines;
  } finally {
    closeSync(fd);
  }
}
