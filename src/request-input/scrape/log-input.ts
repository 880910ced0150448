import { closeSync, createReadStream, fstatSync, openSync, readSync } from "node:fs";
import { kernelAfterBytes } from "./candidate-finder.js";

/** A named source of log lines: a file (plain or gzip) or a stream such as stdin. */
export interface LogInput {
  /** How origins are named in messages: the path as given, or "stdin". */
  name: string;
  /** The file read, when the input is one (it may then be read from the end backwards). */
  path?: string | undefined;
  /**
   * Opens the bytes; gzip is already undone. Called once. A plain file larger than
   * kernelAfterBytes is read in blocks into the buffer `blockFor` gives (the byte kernel's,
   * byte-kernel.ts), when given.
   */
  open(signal?: AbortSignal, blockFor?: (bytes: number) => Buffer): Promise<AsyncIterable<unknown>>;
}

/** 1 MiB reads of gzip output: much of the scanner's cost is per chunk. */
const chunkBytes = 1024 * 1024;
/**
 * Plain files are read into one reused buffer of 1 MiB (the byte kernel's block, when the
 * reader gives one): few calls, and it stays in the cache.
 */
const blockBytes = 1024 * 1024;
/** Blocks between turns of the event loop. */
const yieldEvery = 32;

/** A log file; gzip is recognised by its magic bytes, so rotated `.1` files work compressed or not. */
export function fileLogInput(path: string): LogInput {
  return {
    name: path,
    path,
    open: async (signal, blockFor) => {
      const gzipped = startsWithGzipMagic(path);
      if (!gzipped) return readBlocks(path, { signal, blockFor });
      const file = createReadStream(path, { signal, highWaterMark: chunkBytes });
      // Imported here: most logs are plain, and start-up pays for every module (issue 14).
      const { createGunzip } = await import("node:zlib");
      // pipeline destroys the gunzip stream with any read error, so the reader sees it.
      return stream().pipeline(file, createGunzip({ chunkSize: chunkBytes }), () => undefined);
    },
  };
}

/**
 * The bytes of a file in order, in blocks of one reused buffer. A consumer must be done with a
 * block (or have copied what it keeps) when it asks for the next: the buffer is then read into
 * again. Reads are synchronous: from the page cache a thread-pool round trip per block cost more
 * than the read itself (issue 14 goal 4); the event loop gets a turn every few blocks so that an
 * abort is seen. A file larger than kernelAfterBytes is read into the byte kernel's block from
 * its first byte: the kernel is compiled for it anyway, and the plain blocks before it cost more
 * than the kernel's search.
 */
async function* readBlocks(
  path: string,
  { signal, blockFor }: { signal?: AbortSignal | undefined; blockFor?: (bytes: number) => Buffer },
): AsyncGenerator<Buffer> {
  const fd = openSync(path, "r");
  try {
    const kernel = blockFor !== undefined && fstatSync(fd).size > kernelAfterBytes;
    const buffer = kernel ? blockFor(blockBytes) : Buffer.allocUnsafe(blockBytes);
    for (let block = 1; ; block++) {
      const bytesRead = readSync(fd, buffer, 0, blockBytes, null);
      if (bytesRead === 0) return;
      if (block % yieldEvery === 0) await new Promise((done) => setImmediate(done));
      signal?.throwIfAborted();
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    closeSync(fd);
  }
}

/** An already-open stream (stdin, or text held in memory). */
export function streamLogInput(name: string, stream: NodeJS.ReadableStream): LogInput {
  return { name, open: () => Promise.resolve(stream as AsyncIterable<unknown>) };
}

/** Text held in memory, split like a file. */
export function textLogInput(name: string, text: string): LogInput {
  return { name, open: () => Promise.resolve(stream().Readable.from([Buffer.from(text, "utf8")])) };
}

/**
 * node:stream, loaded when first used: a plain file is read without it, and loading its twenty
 * internal modules cost a few milliseconds of every scrape's start-up (issue 14 goal 4).
 */
function stream(): typeof import("node:stream") {
  return process.getBuiltinModule("node:stream");
}

/**
 * Synchronous, like the block reads: each thread-pool round trip (open, read, close) costs a
 * wake-up of another thread, milliseconds on a busy machine (issue 14).
 */
export function startsWithGzipMagic(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(2);
    const bytesRead = readSync(fd, head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}
