/**
 * Archives on the tar package: Diego's TarTransform (gzip / zip / tar → one re-owned tar stream)
 * and the upload step's "first entry only" spooling.
 */
import { Readable } from "node:stream";
import { combinedTar } from "./combined-tar.js";
import type { Archives, Owner, SmallFile, SpooledFile, TarPart, ToTarOptions } from "./ports.js";
import { UnknownArchiveFormatError } from "./archive-errors.js";
import { entryNaming, type EntryNaming } from "./entry-naming.js";
import { retarEntries } from "./retar-entries.js";
import { smallFilesTar } from "./small-files-tar.js";
import { sniffArchive } from "../core/sniff-archive.js";
import { spoolFile, spoolFirstEntry } from "./spool-first-entry.js";
import { tarFileStream } from "../core/tar-file-stream.js";
import { encodeTarHeader } from "./tar-header.js";
import { zipToTar } from "./zip-to-tar.js";

export interface TarArchivesOptions {
  /** Largest uncompressed size a single zip entry may declare; default 8 GiB. */
  maxEntryBytes?: number | undefined;
}

export class TarArchives implements Archives {
  readonly #maxEntryBytes: number;

  constructor(options: TarArchivesOptions = {}) {
    this.#maxEntryBytes = options.maxEntryBytes ?? 8 * 1024 ** 3;
  }

  /** Errors (unknown format, unsafe entries, corruption) arrive as the stream's 'error'. */
  toTar(filePath: string, owner: Owner, options: ToTarOptions = {}): Readable {
    const naming = entryNaming(options.prefix, options.end);
    return Readable.from(this.#blocks(filePath, owner, naming), { objectMode: false });
  }

  spoolFile(
    bytes: Readable,
    file: { name: string; sizeBytes: number },
    options: { signal?: AbortSignal } = {},
  ): Promise<SpooledFile> {
    return spoolFile(bytes, file, options);
  }

  spoolFirstEntry(tar: Readable, options: { signal?: AbortSignal } = {}): Promise<SpooledFile> {
    return spoolFirstEntry(tar, options);
  }

  combinedTar(parts: readonly TarPart[]): Readable {
    return combinedTar(this, parts);
  }

  smallFilesTar(files: readonly SmallFile[], mtime?: Date): Buffer {
    return smallFilesTar(files, mtime);
  }

  async *#blocks(filePath: string, owner: Owner, naming: EntryNaming): AsyncGenerator<Buffer> {
    const format = await sniffArchive(filePath);
    if (format !== undefined && naming.prefix !== "") yield prefixDirectory(naming, owner);
    switch (format) {
      case "zip":
        yield* zipToTar(filePath, owner, { maxEntryBytes: this.#maxEntryBytes, naming });
        return;
      case "gzip":
      case "tar":
        yield* retarEntries(tarFileStream(filePath, format), owner, naming);
        return;
      case undefined:
        throw new UnknownArchiveFormatError();
    }
  }
}

/** The prefix's own directory (0755, like a fresh mount point), so it exists even when empty. */
function prefixDirectory(naming: EntryNaming, owner: Owner): Buffer {
  const path = `${naming.prefix}/`;
  return encodeTarHeader({ path, type: "Directory", mode: 0o755, size: 0, ...owner });
}
