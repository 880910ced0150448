/**
 * The local instance-identity CA (src/identity/local-ca.ts) in a cache directory, created on
 * first use, with the x509 adapter loaded only now (most runs never issue a certificate).
 * Shared by restage, launch and the identity keeper.
 */
import { openLocalCa } from "../identity/local-ca.js";
import type { CertificateAuthority } from "../pki/ports.js";

export async function openIdentityCa(cacheDir: string): Promise<CertificateAuthority> {
  const { x509Pki } = await import("../x509/x509-pki.js");
  return openLocalCa({ cacheDir, pki: x509Pki });
}
