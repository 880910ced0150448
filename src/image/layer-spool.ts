/**
 * A layer tar written to a temporary file while it is planned, so that a droplet is read (and
 * inflated, re-rooted, hashed) once: the load archive then copies the file, which the page cache
 * usually still holds. The archive must state the layer's size before its bytes and the image id
 * must be known before the engine is asked for it, so the layer cannot go straight to the engine
 * while it is hashed; the other way to get there is to read the droplet twice (plan, then stream
 * it again), which costs a second inflate and tar parse — more than writing and reading the file.
 * The file lives in its own temporary directory, removed by `release` (also after a failure).
 */
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CannotWriteError } from "../errors.js";
import { LayerChangedError } from "./image-errors.js";
import type { LayerSink } from "./layer-blocks.js";

/** Writes and reads in 1 MiB pieces: the layer's headers are batched into few write calls. */
const chunkBytes = 1024 * 1024;

export class LayerSpool {
  readonly #file: string;
  readonly #out: WriteStream;
  #failure: CannotWriteError | undefined;

  private constructor(
    readonly dir: string,
    what: string,
  ) {
    this.#file = join(dir, `${what}.layer.tar`);
    this.#out = createWriteStream(this.#file, { highWaterMark: chunkBytes });
    this.#out.on("error", (error) => {
      this.#failure ??= new CannotWriteError(`Cannot write the ${what} layer's spool in ${dir}`, {
        hint: "Free space there, or point TMPDIR at a file system with room for the expanded droplet",
        cause: error,
      });
    });
  }

  /** A new spool in a fresh directory under `parent` (default: the temporary directory). */
  static async create(what: string, parent: string = tmpdir()): Promise<LayerSpool> {
    const dir = await mkdtemp(join(parent, "restager-layer-")).catch((error: unknown) => {
      throw new CannotWriteError(`Cannot create a temporary directory in ${parent}`, {
        hint: "Point TMPDIR at a writable directory",
        cause: error,
      });
    });
    return new LayerSpool(dir, what);
  }

  /** The sink planLayer writes the layer's bytes to. */
  readonly sink: LayerSink = async (chunk) => {
    this.#throwFailure();
    if (this.#out.write(chunk)) return;
    await drained(this.#out);
    this.#throwFailure();
  };

  /** Flushes and closes the file; its bytes can be read afterwards. */
  async finish(): Promise<void> {
    this.#throwFailure();
    const closed = drained(this.#out);
    this.#out.end();
    await closed;
    this.#throwFailure();
  }

  /** A write that failed (a full disk) fails the build that is spooling. */
  #throwFailure(): void {
    if (this.#failure) throw this.#failure;
  }

  /** The layer's bytes, checked against the size it was planned with. */
  async *read(sizeBytes: number, what: string): AsyncGenerator<Buffer> {
    let read = 0;
    for await (const chunk of createReadStream(this.#file, { highWaterMark: chunkBytes })) {
      read += (chunk as Buffer).length;
      if (read > sizeBytes) throw new LayerChangedError(what);
      yield chunk as Buffer;
    }
    if (read !== sizeBytes) throw new LayerChangedError(what);
  }

  /** Removes the file and its directory (idempotent). */
  async release(): Promise<void> {
    if (!this.#out.closed) {
      const closed = drained(this.#out);
      this.#out.destroy();
      await closed;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Resolves once `out` drained or closed (an error closes it; callers read `#failure`, which the
 * constructor's listener records).
 */
function drained(out: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.on("drain", done);
    out.on("close", done);
  });
}
