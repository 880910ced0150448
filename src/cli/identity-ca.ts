/**
 * The local instance-identity CA (src/identity/local-ca.ts) in a cache directory, created on
 * first use, with the x509 adapter loaded only now (most runs never issue a certificate).
 * Shared by restage, launch and the identity keeper.
 */
import { instanceIdentityKeyType } from "../identity/instance-identity.js";
import { openLocalCa } from "../identity/local-ca.js";
import { spareKeyPool } from "../identity/spare-keys.js";
import type { CertificateAuthority } from "../pki/ports.js";

export async function openIdentityCa(cacheDir: string): Promise<CertificateAuthority> {
  const { x509Pki } = await import("../x509/x509-pki.js");
  return openLocalCa({ cacheDir, pki: x509Pki });
}

/**
 * Makes instance-identity keys ahead until `count` are kept in the cache directory's CA, for the
 * next launches (src/identity/spare-keys.ts); stops on `signal` after the key being made.
 */
export async function fillSpareIdentityKeys(
  cacheDir: string,
  count: number,
  signal: AbortSignal,
): Promise<void> {
  const { x509Pki } = await import("../x509/x509-pki.js");
  const make = () => x509Pki.generateKeyPem(instanceIdentityKeyType);
  await spareKeyPool(cacheDir, instanceIdentityKeyType).fill(count, make, signal);
}
