/**
 * Checksum checks of the downloader: a fresh body against the request's checksum (before the
 * cache entry is committed), and a cached body before it is reused.
 */
import type { CacheEntry } from "./download-cache.js";
import { ChecksumMismatchError } from "./http-errors.js";
import type { StreamedFile } from "./stream-to-file.js";
import { hashFile, type Checksum } from "../core/checksums.js";

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

/** Throws ChecksumMismatchError unless the streamed body has the expected digest. */
export function verifyChecksum(checksum: Checksum | undefined, file: StreamedFile): void {
  if (!checksum) return;
  const actual = file.digests[checksum.algorithm];
  if (actual !== checksum.value.toLowerCase()) {
    throw new ChecksumMismatchError(checksum.algorithm, checksum.value, actual ?? "nothing");
  }
}
