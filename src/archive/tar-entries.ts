/**
 * Reads a tar stream entry by entry as an async iterator, on the tar package's Parser.
 * Each entry's body must be read (or is skipped) before the next one arrives; the parser waits,
 * so memory stays flat whatever the archive size.
 */
import type { Readable } from "node:stream";
import { Parser, type ReadEntry } from "tar";
import { RestagerError } from "../errors.js";
import { CorruptArchiveError } from "./archive-errors.js";
import type { TarEntry } from "./ports.js";

/** Yields the entries of `source` (an uncompressed or gzipped tar); destroys it when done. */
export function tarEntries(source: Readable): AsyncGenerator<TarEntry> {
  return readEntries(source);
}

/** tarEntries with the tar package's own entries, for this adapter's internals. */
export async function* readEntries(source: Readable): AsyncGenerator<ReadEntry> {
  const parser = new Parser({ strict: true });
  const queue = new EntryQueue();
  parser.on("entry", (entry: ReadEntry) => queue.push(entry));
  parser.on("end", () => queue.end());
  parser.on("error", (error: unknown) => queue.fail(error));
  source.on("error", (error: unknown) => queue.fail(error));
  source.on("data", (chunk: Buffer) => queue.observe(chunk));
  source.pipe(parser);
  try {
    for (;;) {
      const entry = await queue.next();
      if (!entry) return;
      yield entry;
      entry.resume();
    }
  } finally {
    source.unpipe(parser);
    source.destroy();
  }
}

/** Hands parser events to the iterator; the parser emits at most one unread entry at a time. */
class EntryQueue {
  readonly #entries: ReadEntry[] = [];
  #current: ReadEntry | undefined;
  #ended = false;
  #failure: Error | undefined;
  #sawEntry = false;
  #onlyZeros = true;
  #wake: (() => void) | undefined;

  push(entry: ReadEntry): void {
    this.#sawEntry = true;
    this.#entries.push(entry);
    this.#notify();
  }

  end(): void {
    this.#ended = true;
    this.#notify();
  }

  /** Tracks whether the input so far is all zeros (an empty archive: just end blocks). */
  observe(chunk: Buffer): void {
    if (this.#onlyZeros && !this.#sawEntry) this.#onlyZeros = chunk.every((byte) => byte === 0);
  }

  fail(error: unknown): void {
    // The tar package calls an archive of nothing but end blocks unrecognised; it is just empty.
    const code = (error as { code?: unknown }).code;
    if (!this.#sawEntry && this.#onlyZeros && code === "TAR_BAD_ARCHIVE") {
      this.end();
      return;
    }
    this.#failure ??=
      error instanceof RestagerError
        ? error
        : new CorruptArchiveError("The tar stream could not be read", { cause: error });
    this.#current?.destroy(this.#failure);
    this.#notify();
  }

  /** The next entry, undefined at the end; throws the stream's failure. */
  async next(): Promise<ReadEntry | undefined> {
    for (;;) {
      if (this.#failure) throw this.#failure;
      this.#current = this.#entries.shift();
      if (this.#current || this.#ended) return this.#current;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
