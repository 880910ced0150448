/**
 * Checksum checks of the downloader: a fresh body against the request's checksum (before the
 * cache entry is committed), and a cached body before it is reused.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import type { Checksum, ChecksumAlgorithm } from "../diego/actions.js";
import type { CacheEntry } from "./download-cache.js";
import { ChecksumMismatchError } from "./http-errors.js";
import type { StreamedFile } from "./stream-to-file.js";

/** Whether a cached body satisfies the request's checksum (hashing it when its meta lacks one). */
export async function entryMatchesChecksum(
  entry: CacheEntry,
  checksum: Checksum | undefined,
): Promise<boolean> {
  if (!checksum) return true;
  const known = entry.meta.digests[checksum.algorithm];
  const actual = known ?? (await hashFile(entry.bodyPath, checksum.algorithm));
  return actual === checksum.value.toLowerCase();
}

async function hashFile(path: string, algorithm: ChecksumAlgorithm): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

/** Throws ChecksumMismatchError unless the streamed body has the expected digest. */
export function verifyChecksum(checksum: Checksum | undefined, file: StreamedFile): void {
  if (!checksum) return;
  const actual = file.digests[checksum.algorithm];
  if (actual !== checksum.value.toLowerCase()) {
    throw new ChecksumMismatchError(checksum.algorithm, checksum.value, actual ?? "nothing");
  }
}
