/**
 * restager's own CA for instance identity, kept in its cache directory
 * (`<cache>/identity-ca/ca.crt` and `ca.key`, the key and the directory readable by the owner
 * only). It stands in for the cell's instance-identity CA: created on first use, then reused so
 * that a client may trust it once.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CannotWriteError } from "../errors.js";
import type { CertificateAuthority, Pki } from "../pki/ports.js";

export const localCaDirName = "identity-ca";
export const localCaCommonName = "restager instance identity CA";
/** Long enough never to matter for a local tool; renewing means deleting the directory. */
const caValidityMs = 10 * 365 * 86_400_000;

export interface LocalCaPaths {
  dir: string;
  certPath: string;
  keyPath: string;
}

export function localCaPaths(cacheDir: string): LocalCaPaths {
  const dir = join(cacheDir, localCaDirName);
  return { dir, certPath: join(dir, "ca.crt"), keyPath: join(dir, "ca.key") };
}

/**
 * Loads the CA, creating it when missing. Two restages racing here both end up with the same
 * CA: each writes a complete CA into a private directory and renames it into place; the loser's
 * rename fails because the directory exists, and it loads the winner's.
 */
export async function openLocalCa(options: {
  cacheDir: string;
  pki: Pki;
}): Promise<CertificateAuthority> {
  const paths = localCaPaths(options.cacheDir);
  const existing = await readCa(paths, options.pki);
  if (existing !== undefined) return existing;
  const created = await options.pki.createAuthority({
    commonName: localCaCommonName,
    notAfter: new Date(Date.now() + caValidityMs),
    keyType: "rsa-2048",
  });
  if (await publish(paths, created, options.cacheDir)) return created;
  const winner = await readCa(paths, options.pki);
  if (winner === undefined) throw cannotWrite(paths.dir);
  return winner;
}

async function readCa(paths: LocalCaPaths, pki: Pki): Promise<CertificateAuthority | undefined> {
  let certPem: string;
  let keyPem: string;
  try {
    certPem = await readFile(paths.certPath, "utf8");
    keyPem = await readFile(paths.keyPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw cannotWrite(paths.dir, error);
  }
  return pki.loadAuthority({ certPem, keyPem });
}

/** True when this process's CA became the kept one. */
async function publish(
  paths: LocalCaPaths,
  ca: CertificateAuthority,
  cacheDir: string,
): Promise<boolean> {
  const staging = join(
    cacheDir,
    `.${localCaDirName}-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  try {
    await mkdir(cacheDir, { recursive: true });
    await mkdir(staging, { mode: 0o700 });
    await chmod(staging, 0o700);
    await writeFile(join(staging, "ca.key"), ca.keyPem, { mode: 0o600 });
    await writeFile(join(staging, "ca.crt"), ca.certPem, { mode: 0o644 });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw cannotWrite(paths.dir, error);
  }
  try {
    await rename(staging, paths.dir);
    return true;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTEMPTY" || code === "EEXIST") return false;
    throw cannotWrite(paths.dir, error);
  }
}

function cannotWrite(dir: string, cause?: unknown): CannotWriteError {
  return new CannotWriteError(`Cannot create or read the instance identity CA in ${dir}`, {
    hint: "Check permissions of the cache directory (--cache-dir)",
    cause,
  });
}
