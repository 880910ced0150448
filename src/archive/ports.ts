/**
 * Archive handling the steps need (implementations in src/archive/, on the tar package).
 */
import type { Readable } from "node:stream";

export interface Owner {
  uid: number;
  gid: number;
}

export interface SpooledFile {
  path: string;
  sizeBytes: number;
  md5Base64: string;
  sha256Base64: string;
  /** Entry name inside the archive (for messages). */
  entryName: string;
  release(): Promise<void>;
}

export interface ToTarOptions {
  /**
   * A relative directory every entry is placed under (`restager-fill/0`), hard-link targets
   * included; a directory entry for the prefix itself comes first, so it exists even for an
   * empty archive. Undefined or "" = entries keep their names.
   */
  prefix?: string | undefined;
  /** false leaves out the end-of-archive blocks, so outputs can be concatenated (combinedTar). */
  end?: boolean | undefined;
}

export interface Archives {
  /**
   * Converts a downloaded archive file into a tar stream for Docker's archive API, as Diego's
   * TarTransform does: sniffs gzip / zip / POSIX tar; anything else fails with
   * `unknown archive format`. Every entry is re-owned to `owner`; unsafe entries (absolute,
   * `..`, links escaping the root) fail the conversion.
   */
  toTar(filePath: string, owner: Owner, options?: ToTarOptions): Readable;
  /**
   * Reads only the first entry of a tar stream (Diego's upload semantics) into a temporary file,
   * hashing it on the way. A first entry that is not a regular file fails.
   */
  spoolFirstEntry(tar: Readable, options?: { signal?: AbortSignal }): Promise<SpooledFile>;
}
