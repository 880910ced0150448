import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";

/** A named source of log lines: a file (plain or gzip) or a stream such as stdin. */
export interface LogInput {
  /** How origins are named in messages: the path as given, or "stdin". */
  name: string;
  /** The file read, when the input is one (it may then be read from the end backwards). */
  path?: string | undefined;
  /** Opens the bytes; gzip is already undone. Called once. */
  open(signal?: AbortSignal): Promise<AsyncIterable<unknown>>;
}

/** 1 MiB reads: much of the scanner's cost is per chunk; 64 KiB reads took 2–3× as long. */
const chunkBytes = 1024 * 1024;

/** A log file; gzip is recognised by its magic bytes, so rotated `.1` files work compressed or not. */
export function fileLogInput(path: string): LogInput {
  return {
    name: path,
    path,
    open: async (signal) => {
      const gzipped = await startsWithGzipMagic(path);
      const file = createReadStream(path, { signal, highWaterMark: chunkBytes });
      if (!gzipped) return file;
      // pipeline destroys the gunzip stream with any read error, so the reader sees it.
      return pipeline(file, createGunzip({ chunkSize: chunkBytes }), () => undefined);
    },
  };
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
