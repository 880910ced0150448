/**
 * Diego's upload reads only the first entry of the tar the container streams out: that entry
 * must be a regular file. Its bytes go to a private temp file, hashed on the way; the rest of
 * the stream is discarded.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadEntry } from "tar";
import { cancellation } from "../core/cancellation.js";
import { CannotWriteError } from "../errors.js";
import type { SpooledFile } from "./ports.js";
import { FirstEntryError } from "./archive-errors.js";
import { readEntries } from "./tar-entries.js";

const regularTypes = new Set(["File", "OldFile", "ContiguousFile"]);

export async function spoolFirstEntry(
  tar: Readable,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<SpooledFile> {
  const { signal } = options;
  if (signal?.aborted) throw cancellation(signal);
  const onAbort = (): void => void tar.destroy(cancellation(signal!));
  signal?.addEventListener("abort", onAbort, { once: true });
  const entries = readEntries(tar);
  try {
    const first = await entries.next();
    if (first.done) throw new FirstEntryError("the stream holds no entries");
    const entry = first.value;
    if (!regularTypes.has(entry.type)) {
      throw new FirstEntryError(`'${entry.path}' is a ${entry.type}, not a regular file`);
    }
    return await spoolBytes(entry as AsyncIterable<Buffer>, entry);
  } catch (error) {
    throw signal?.aborted ? cancellation(signal) : error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await entries.return(undefined);
  }
}

/** A file's bytes, read without a tar around them, spooled as spoolFirstEntry spools. */
export async function spoolFile(
  bytes: Readable,
  file: { name: string; sizeBytes: number },
  options: { signal?: AbortSignal | undefined } = {},
): Promise<SpooledFile> {
  const { signal } = options;
  if (signal?.aborted) {
    bytes.destroy();
    throw cancellation(signal);
  }
  const onAbort = (): void => void bytes.destroy(cancellation(signal!));
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await spoolBytes(bytes, { path: file.name, size: file.sizeBytes });
  } catch (error) {
    bytes.destroy();
    throw signal?.aborted ? cancellation(signal) : error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

/** `bytes` (all of `entry`) into a private temporary file, hashed; nothing left on failure. */
async function spoolBytes(
  bytes: AsyncIterable<Buffer> | Readable,
  entry: Pick<ReadEntry, "path" | "size">,
): Promise<SpooledFile> {
  const dir = await mkdtemp(join(tmpdir(), "restager-upload-")).catch(cannotWrite);
  try {
    const spooled = await copyHashed(bytes, entry, join(dir, "file"));
    const release = () => rm(dir, { recursive: true, force: true });
    return { ...spooled, entryName: entry.path, release };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function copyHashed(
  bytes: AsyncIterable<Buffer> | Readable,
  entry: Pick<ReadEntry, "path" | "size">,
  path: string,
): Promise<Omit<SpooledFile, "entryName" | "release">> {
  const md5 = createHash("md5");
  const sha256 = createHash("sha256");
  let sizeBytes = 0;
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sizeBytes += chunk.length;
      md5.update(chunk);
      sha256.update(chunk);
      callback(null, chunk);
    },
  });
  await pipeline(bytes, hasher, createWriteStream(path, { flags: "wx" }));
  if (sizeBytes !== entry.size) throw new FirstEntryError(`'${entry.path}' is truncated`);
  return {
    path,
    sizeBytes,
    md5Base64: md5.digest("base64"),
    sha256Base64: sha256.digest("base64"),
  };
}

function cannotWrite(error: unknown): never {
  throw new CannotWriteError(`Cannot create a temporary file in ${tmpdir()}`, {
    hint: "Check free space and permissions of the temporary directory (TMPDIR)",
    cause: error,
  });
}
