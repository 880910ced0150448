/**
 * The on-disk download cache: `<dir>/downloads/<sha256(cacheKey)>/{body,meta.json}`.
 * Writers hold the entry's lock (`lock` in the same directory); bodies are written to a temp
 * file beside `body` and renamed over it, so a reader never sees a partial body.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CannotWriteError } from "../errors.js";
import type { ChecksumAlgorithm } from "../core/checksums.js";

export interface CacheMeta {
  /** Random per commit: tells a waiter whether the entry changed while it waited. */
  id: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
  size: number;
  /** Redacted: the cache never stores signatures or passwords. */
  url: string;
  /** ISO time the body was stored. */
  storedAt: string;
  /** Hex digests known for the body (sha256 always; others when a checksum asked for them). */
  digests: Partial<Record<ChecksumAlgorithm, string>>;
}

export interface CacheEntry {
  bodyPath: string;
  meta: CacheMeta;
}

export class DownloadCache {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  entryDir(cacheKey: string): string {
    const hash = createHash("sha256").update(cacheKey).digest("hex");
    return join(this.dir, "downloads", hash);
  }

  lockPath(cacheKey: string): string {
    return join(this.entryDir(cacheKey), "lock");
  }

  /** The entry, when its meta is readable and its body has the recorded size. */
  async read(cacheKey: string): Promise<CacheEntry | undefined> {
    const dir = this.entryDir(cacheKey);
    const bodyPath = join(dir, "body");
    try {
      const meta = JSON.parse(await readFile(join(dir, "meta.json"), "utf8")) as CacheMeta;
      const body = await stat(bodyPath);
      if (body.size !== meta.size || typeof meta.digests !== "object") return undefined;
      return { bodyPath, meta };
    } catch {
      return undefined;
    }
  }

  /** Creates the entry directory, so its lock file can be made. */
  async ensureEntryDir(cacheKey: string): Promise<void> {
    const dir = this.entryDir(cacheKey);
    await mkdir(dir, { recursive: true }).catch((error: unknown) => {
      throw cannotWrite(dir, error);
    });
  }

  /** Drops temp files of crashed writers; call under the lock. */
  async removeLeftovers(cacheKey: string): Promise<void> {
    const dir = this.entryDir(cacheKey);
    for (const name of await readdir(dir)) {
      if (name.endsWith(".tmp")) await rm(join(dir, name), { force: true });
    }
  }

  /** A fresh temp path in the entry directory, for a body that may be committed. */
  tempBodyPath(cacheKey: string): string {
    return join(this.entryDir(cacheKey), `body.${randomBytes(6).toString("hex")}.tmp`);
  }

  /** Moves a verified body into place, then its meta; returns the committed entry. */
  async commit(
    cacheKey: string,
    tempBody: string,
    fields: Omit<CacheMeta, "id" | "storedAt">,
  ): Promise<CacheEntry> {
    const meta = {
      id: randomBytes(8).toString("hex"),
      storedAt: new Date().toISOString(),
      ...fields,
    };
    const dir = this.entryDir(cacheKey);
    const bodyPath = join(dir, "body");
    const tempMeta = join(dir, `meta.${randomBytes(6).toString("hex")}.tmp`);
    try {
      await rename(tempBody, bodyPath);
      await writeFile(tempMeta, `${JSON.stringify(meta, null, 2)}\n`);
      await rename(tempMeta, join(dir, "meta.json"));
    } catch (error) {
      throw cannotWrite(dir, error);
    }
    return { bodyPath, meta };
  }
}

/** A private directory for a body that will not be cached (removed by its DownloadedFile). */
export async function createTempDownloadDir(parent = tmpdir()): Promise<string> {
  const prefix = join(parent, "restager-download-");
  return mkdtemp(prefix).catch((error: unknown) => {
    throw cannotWrite(parent, error);
  });
}

function cannotWrite(dir: string, error: unknown): CannotWriteError {
  return new CannotWriteError(`Cannot write the download cache in ${dir}`, {
    hint: "Check free disk space and permissions (the cache lives in $XDG_CACHE_HOME/restager)",
    cause: error,
  });
}
