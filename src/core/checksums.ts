/**
 * Checksums as Diego's download actions and cached dependencies declare them, shared by the
 * request parser, the steps and the HTTP adapter that verifies bodies.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";

export type ChecksumAlgorithm = "md5" | "sha1" | "sha256";

export interface Checksum {
  algorithm: ChecksumAlgorithm;
  /** Lower-case hex, quotes stripped. */
  value: string;
}

/** The lower-case hex digest of a file's bytes, streamed. */
export async function hashFile(path: string, algorithm: ChecksumAlgorithm): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}
