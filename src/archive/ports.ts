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

/**
 * One entry of a tar stream as our code sees it (not the tar package's own type). Its body is
 * the entry's bytes, read once; an entry whose body is not read is skipped.
 */
export interface TarEntry extends AsyncIterable<Buffer> {
  readonly path: string;
  /** The tar type name (`File`, `Directory`, `SymbolicLink`, `Link`, ...). */
  readonly type: string;
  readonly size: number;
  readonly mode?: number | undefined;
  readonly mtime?: Date | undefined;
  readonly linkpath?: string | undefined;
}

/** The header fields of one tar entry, as TarCodec.encodeHeader writes them. */
export interface TarEntryHeader {
  path: string;
  type: "File" | "Directory" | "SymbolicLink" | "Link" | "FIFO";
  mode: number;
  size: number;
  uid: number;
  gid: number;
  mtime?: Date | undefined;
  linkpath?: string | undefined;
}

/**
 * The tar format on the tar package, for code that writes or reads tar streams entry by entry
 * itself (the image builder); src/archive/tar-codec.ts implements it.
 */
export interface TarCodec {
  /** The header block(s) of one entry: a PAX header in front when a name or size needs one. */
  encodeHeader(entry: TarEntryHeader): Buffer;
  /** The entries of an uncompressed or gzipped tar; destroys `source` when done. */
  entries(source: Readable): AsyncGenerator<TarEntry>;
}

/** One archive of a combined tar, converted with toTar under its own prefix. */
export interface TarPart {
  filePath: string;
  owner: Owner;
  /** Relative directory the part's entries go under (`restager-fill/0`, `tmp/lifecycle`). */
  prefix: string;
}

/** A part of a combined tar could not be converted; `index` says which, `cause` is why. */
export class TarPartError extends Error {
  constructor(
    readonly index: number,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = new.target.name;
  }
}

/**
 * What writes the cell's files when they go through the engine's archive API: Archives, or one
 * that loads it at its first use (so its result may come later).
 */
export interface SmallFilesTarWriter {
  smallFilesTar(files: readonly SmallFile[], mtime?: Date): Buffer | Promise<Buffer>;
}

/** One file of a tar built in memory (Archives.smallFilesTar). */
export interface SmallFile {
  /** Relative path inside the archive; its directories need entries of their own. */
  path: string;
  /** undefined: a directory. */
  content?: Buffer | undefined;
  mode: number;
  uid: number;
  gid: number;
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
  /**
   * As spoolFirstEntry, for a file's bytes read without a tar around them: `file.name` for
   * messages, `file.sizeBytes` what must arrive (fewer bytes: truncated).
   */
  spoolFile(
    bytes: Readable,
    file: { name: string; sizeBytes: number },
    options?: { signal?: AbortSignal },
  ): Promise<SpooledFile>;
  /**
   * One tar made of several converted archives, each under its own prefix, then one
   * end-of-archive marker: lets a caller extract many downloads with a single archive upload.
   * A failing part ends the stream with a TarPartError as its 'error'.
   */
  combinedTar(parts: readonly TarPart[]): Readable;
  /**
   * A tar of a few small in-memory files (certificates, credentials), in the order given, every
   * entry dated `mtime` (the epoch unless told).
   */
  smallFilesTar(files: readonly SmallFile[], mtime?: Date): Buffer;
}
