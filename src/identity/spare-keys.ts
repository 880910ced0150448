/**
 * Instance-identity keys made ahead, kept beside the local CA (`<cache>/identity-ca/spare-keys/`,
 * one PKCS#8 PEM per file, readable by the owner only, in the CA's owner-only directory).
 *
 * Why: an RSA 2048 key takes 0.1–0.7 s of CPU. Made while `launch` starts its containers, it
 * competes with the app's own start on a small machine; the identity keeper of the launch before
 * (src/launch/identity-keeper.ts runs after `launch` returned) makes the next launch's keys
 * instead, and `launch` only reads one.
 *
 * Contract: every key is handed out at most once, across processes. A taker reads a file, then
 * unlinks it; the key is its own only when its unlink succeeded (another taker that read the
 * same file fails to unlink it and tries the next). A filler writes a hidden temporary file and
 * renames it into place, so a taker never reads half a key.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { KeyType } from "../pki/ports.js";
import { localCaPaths } from "./local-ca.js";

export const spareKeysDirName = "spare-keys";
/** Temporary files of a filler that died are removed by the next fill after this long. */
const abandonedAfterMs = 3_600_000;

/** Keys of one type made ahead. */
export interface SpareKeys {
  /** A key never handed out before, or undefined when none is left (or none can be read). */
  take(): Promise<string | undefined>;
}

export interface SpareKeyPool extends SpareKeys {
  /**
   * Makes keys with `make` until `count` are kept, one at a time, stopping early on `signal`.
   * Does nothing when the CA's directory does not exist (its cache directory was removed).
   */
  fill(count: number, make: () => Promise<string>, signal: AbortSignal): Promise<void>;
}

export function spareKeyPool(cacheDir: string, keyType: KeyType): SpareKeyPool {
  const dir = join(localCaPaths(cacheDir).dir, spareKeysDirName);
  const prefix = `${keyType}-`;
  const kept = async (): Promise<string[]> => {
    try {
      return (await readdir(dir)).filter((name) => name.startsWith(prefix));
    } catch {
      return [];
    }
  };
  return {
    take: async () => {
      for (const name of await kept()) {
        const key = await claim(join(dir, name));
        if (key !== undefined) return key;
      }
      return undefined;
    },
    fill: async (count, make, signal) => {
      if (!(await ensureDir(dir))) return;
      await removeAbandoned(dir);
      while (!signal.aborted && (await kept()).length < count) {
        const key = await make();
        if (signal.aborted || !(await keep(dir, `${prefix}${randomHex()}.pem`, key))) return;
      }
    },
  };
}

/** The key in `path` when this process is the one that removed it. */
async function claim(path: string): Promise<string | undefined> {
  let key: string;
  try {
    key = await readFile(path, "utf8");
    await unlink(path);
  } catch {
    return undefined;
  }
  return key;
}

/** False when the pool's directory went away (the cache directory was removed). */
async function keep(dir: string, name: string, key: string): Promise<boolean> {
  const temporary = join(dir, `.${name}.${randomHex()}`);
  try {
    await writeFile(temporary, key, { mode: 0o600, flag: "wx" });
    await rename(temporary, join(dir, name));
    return true;
  } catch {
    await rm(temporary, { force: true }).catch(() => undefined);
    return false;
  }
}

/** The pool's directory inside the CA's; never the CA's or the cache's own (see fill). */
async function ensureDir(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { mode: 0o700 });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EEXIST";
  }
}

async function removeAbandoned(dir: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(dir).catch(() => [])) {
    if (!name.startsWith(".")) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > abandonedAfterMs) await rm(path, { force: true });
  }
}

function randomHex(): string {
  return randomBytes(6).toString("hex");
}
