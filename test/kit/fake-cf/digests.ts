/** Streaming size/MD5/SHA-256 of a body or file, computed in one pass (never buffered whole). */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface Digests {
  size: number;
  /** Lowercase hex. */
  md5: string;
  /** Lowercase hex. */
  sha256: string;
}

/**
 * A pass-through that hashes and counts what flows through it. SHA-256 can be left out where
 * only the MD5 is needed: hashing dominates the fake's cost on 500 MB uploads.
 */
export class DigestTap extends Transform {
  #md5: Hash = createHash("md5");
  #sha256: Hash | undefined;
  #size = 0;
  #result: Digests | undefined;

  constructor(options: { sha256?: boolean } = {}) {
    super();
    this.#sha256 = options.sha256 === false ? undefined : createHash("sha256");
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#size += chunk.length;
    this.#md5.update(chunk);
    this.#sha256?.update(chunk);
    done(null, chunk);
  }

  /** Bytes seen so far. */
  get size(): number {
    return this.#size;
  }

  /** The digests (sha256 "" when not computed); call only after the stream ended. */
  digests(): Digests {
    this.#result ??= {
      size: this.#size,
      md5: this.#md5.digest("hex"),
      sha256: this.#sha256?.digest("hex") ?? "",
    };
    return this.#result;
  }
}

/** Hashes a file by streaming it once. */
export async function digestFile(filePath: string, signal?: AbortSignal): Promise<Digests> {
  const tap = new DigestTap();
  tap.resume();
  await pipeline(createReadStream(filePath), tap, { signal });
  return tap.digests();
}

/** `Content-MD5` header value: base64 of the binary MD5. */
export function contentMd5Of(digests: Digests): string {
  return Buffer.from(digests.md5, "hex").toString("base64");
}

/** `Content-Digest` header value as the executor sends it (2024+). */
export function contentDigestOf(digests: Digests): string {
  return `sha-256=:${Buffer.from(digests.sha256, "hex").toString("base64")}:`;
}
