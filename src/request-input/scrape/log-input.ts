import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream";

/** A named source of log lines: a file (plain or gzip) or a stream such as stdin. */
export interface LogInput {
  /** How origins are named in messages: the path as given, or "stdin". */
  name: string;
  /** The file read, when the input is one (it may then be read from the end backwards). */
  path?: string | undefined;
  /** Opens the bytes; gzip is already undone. Called once. */
  open(signal?: AbortSignal): Promise<AsyncIterable<unknown>>;
}

/** 1 MiB reads of gzip output: much of the scanner's cost is per chunk. */
const chunkBytes = 1024 * 1024;
/** Plain files are read into one reused buffer of 4 MiB (fewer calls, no garbage per read). */
const blockBytes = 4 * 1024 * 1024;

/** A log file; gzip is recognised by its magic bytes, so rotated `.1` files work compressed or not. */
export function fileLogInput(path: string): LogInput {
  return {
    name: path,
    path,
    open: async (signal) => {
      const gzipped = await startsWithGzipMagic(path);
      if (!gzipped) return readBlocks(path, signal);
      const file = createReadStream(path, { signal, highWaterMark: chunkBytes });
      // Imported here: most logs are plain, and start-up pays for every module (issue 14).
      const { createGunzip } = await import("node:zlib");
      // pipeline destroys the gunzip stream with any read error, so the reader sees it.
      return pipeline(file, createGunzip({ chunkSize: chunkBytes }), () => undefined);
    },
  };
}

/**
 * The bytes of a file in order, in blocks of two reused buffers: the next block is read while
 * the consumer works on this one. A consumer must be done with a block (or have copied what it
 * keeps) when it asks for the next: the buffer is then read into again.
 */
async function* readBlocks(path: string, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  const handle = await open(path, "r");
  const buffers = [Buffer.allocUnsafe(blockBytes), Buffer.allocUnsafe(blockBytes)];
  let which = 0;
  const readInto = (buffer: Buffer) =>
    handle.read(buffer, 0, blockBytes, null).then(({ bytesRead }) => ({ bytesRead, buffer }));
  let next = readInto(buffers[0] as Buffer);
  try {
    for (;;) {
      const { bytesRead, buffer } = await next;
      if (bytesRead === 0) return;
      signal?.throwIfAborted();
      which = 1 - which;
      next = readInto(buffers[which] as Buffer);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await next.catch(() => undefined);
    await handle.close();
  }
}

/** An already-open stream (stdin, or text held in memory). */
export function streamLogInput(name: string, stream: NodeJS.ReadableStream): LogInput {
  return { name, open: () => Promise.resolve(stream as AsyncIterable<unknown>) };
}

/** Text held in memory, split like a file. */
export function textLogInput(name: string, text: string): LogInput {
  return { name, open: () => Promise.resolve(Readable.from([Buffer.from(text, "utf8")])) };
}

export async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
