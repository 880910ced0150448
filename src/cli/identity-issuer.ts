/**
 * Instance identities issued in this process, for `launch` and `restage`: the local CA is opened
 * as soon as the issuer is made, and one RSA key is started in libuv's thread pool
 * (caIssuer, src/identity/instance-identity.ts), while the run finds the image and starts the
 * containers; an identity is then only signed once the container's address is known. The
 * adapter is node:crypto alone (src/x509/), so nothing heavy is loaded, and no thread of ours
 * competes with the engine starting the container (bench/identity-bench.ts measures both).
 */
import type { CertificateAuthority } from "../pki/ports.js";
import {
  caIssuer,
  issueInstanceIdentity,
  type IdentityIssuer,
} from "../identity/instance-identity.js";
import { openIdentityCa } from "./identity-ca.js";

/** `openCa`: the CA of the cache directory (tests give their own). */
export function identityIssuer(
  cacheDir: string,
  openCa: (cacheDir: string) => Promise<CertificateAuthority> = openIdentityCa,
): IdentityIssuer {
  let closed = false;
  // A key being made keeps the event loop alive until it is done: once closed (no identity is
  // needed soon), a CA opened late starts none.
  const ready = openCa(cacheDir).then((ca): IdentityIssuer =>
    closed ? { issue: (request) => issueInstanceIdentity(ca, request) } : caIssuer(ca),
  );
  ready.catch(() => undefined); // met again by every issue()
  return {
    issue: async (request) => (await ready).issue(request),
    close: () => {
      closed = true;
    },
  };
}
