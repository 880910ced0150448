/**
 * The trusted system certificates restage() mounts as the cell's: `--trusted-certs DIR`, else
 * the host's CA certificates.
 */
import { access } from "node:fs/promises";
import {
  readCertificateDir,
  readCertificateDirLater,
  type CertificateFile,
  type PendingCertificates,
} from "../../restage/system-certificates.js";

/** Where distributions keep their CA certificates, one file each. */
const hostCertDirs = ["/etc/ssl/certs", "/etc/pki/tls/certs"];

/**
 * `--trusted-certs DIR` when given (an unreadable one is an error); else `SSL_CERT_DIR`'s first
 * entry or the first of the usual host directories that exists; else none (a cell without
 * trusted certificates).
 */
export async function trustedCertificates(
  dir: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<CertificateFile[] | undefined> {
  const chosen = await trustedCertificatesDir(dir, env);
  return chosen === undefined ? undefined : readCertificateDir(chosen);
}

/** trustedCertificates, read in the background (readCertificateDirLater): for `launch`. */
export async function trustedCertificatesLater(
  dir: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<PendingCertificates | undefined> {
  const chosen = await trustedCertificatesDir(dir, env);
  return chosen === undefined ? undefined : readCertificateDirLater(chosen);
}

async function trustedCertificatesDir(
  dir: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  if (dir !== undefined) return dir;
  const fromEnv = env["SSL_CERT_DIR"]?.split(":").find((entry) => entry !== "");
  for (const candidate of [...(fromEnv ? [fromEnv] : []), ...hostCertDirs]) {
    if (
      await access(candidate).then(
        () => true,
        () => false,
      )
    ) {
      return candidate;
    }
  }
  return undefined;
}
