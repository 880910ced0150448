/**
 * Streams a response body into a new file while hashing it and reporting progress, so no body
 * is ever held in memory. Only the asked-for digests are computed: md5 and sha1 of a 500 MB
 * droplet cost seconds.
 */
import { createHash, type Hash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CannotWriteError, writeFailureReason } from "../errors.js";
import { throttleProgress } from "./throttle-progress.js";
import type { ChecksumAlgorithm } from "../core/checksums.js";

export interface StreamedFile {
  sizeBytes: number;
  /** Lower-case hex digests of the whole body, for the algorithms asked for. */
  digests: Partial<Record<ChecksumAlgorithm, string>>;
}

export interface StreamToFileOptions {
  algorithms?: readonly ChecksumAlgorithm[] | undefined;
  totalBytes?: number | undefined;
  onProgress?: ((bytes: number, totalBytes: number | undefined) => void) | undefined;
  /** Milliseconds between progress calls (default 100). */
  progressIntervalMs?: number | undefined;
  now?: (() => number) | undefined;
  signal?: AbortSignal | undefined;
}

const fileSyscalls = new Set(["open", "write", "close", "fsync"]);

/** Writes `body` to `path` (which must not exist). Local write failures become CannotWriteError. */
export async function streamToFile(
  body: Readable,
  path: string,
  options: StreamToFileOptions = {},
): Promise<StreamedFile> {
  const tap = new HashingTap(options);
  try {
    const sink = createWriteStream(path, { flags: "wx" });
    await pipeline(body, tap.stream, sink, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    const syscall = (error as NodeJS.ErrnoException).syscall;
    if (syscall !== undefined && fileSyscalls.has(syscall)) throw cannotWrite(path, error);
    throw error;
  }
  return tap.finish();
}

const noRoom = new Set(["ENOSPC", "EDQUOT"]);

/** Says why (a full disk is the usual reason) and where else the bytes could go. */
function cannotWrite(path: string, error: unknown): CannotWriteError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = writeFailureReason(error);
  const elsewhere = "--cache-dir (downloads) or TMPDIR (temporary files) somewhere else";
  return new CannotWriteError(`Cannot write the download to ${path}: ${why}`, {
    hint:
      code !== undefined && noRoom.has(code)
        ? `Free some disk space there, or point ${elsewhere}`
        : `Check the permissions there, or point ${elsewhere}`,
    cause: error,
  });
}

/** A pass-through that hashes, counts and reports progress. */
class HashingTap {
  readonly stream: Transform;
  readonly #hashes: [ChecksumAlgorithm, Hash][];
  readonly #progress: (bytes: number, final: boolean) => void;
  #sizeBytes = 0;

  constructor(options: StreamToFileOptions) {
    const algorithms = [...new Set(options.algorithms ?? [])];
    this.#hashes = algorithms.map((algorithm) => [algorithm, createHash(algorithm)]);
    const { onProgress, totalBytes } = options;
    this.#progress = throttleProgress(
      onProgress && ((bytes) => onProgress(bytes, totalBytes)),
      options.progressIntervalMs,
      options.now,
    );
    this.stream = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.#sizeBytes += chunk.length;
        for (const [, hash] of this.#hashes) hash.update(chunk);
        this.#progress(this.#sizeBytes, false);
        callback(null, chunk);
      },
    });
  }

  finish(): StreamedFile {
    this.#progress(this.#sizeBytes, true);
    const digests = this.#hashes.map(([algorithm, hash]): [ChecksumAlgorithm, string] => [
      algorithm,
      hash.digest("hex"),
    ]);
    return { sizeBytes: this.#sizeBytes, digests: Object.fromEntries(digests) };
  }
}
