/**
 * Instance identities issued in this process, for `launch` and `restage`: the local CA is opened
 * as soon as the issuer is made, and once the run says an identity will be needed (prepare(),
 * when it is about to create its containers) one RSA key is started in libuv's thread pool
 * (caIssuer, src/identity/instance-identity.ts) while the containers are created and started; an
 * identity is then only signed once the container's address is known. The
 * adapter is node:crypto alone (src/x509/), so nothing heavy is loaded, and no thread of ours
 * competes with the engine starting the container (bench/identity-bench.ts measures both).
 */
import type { CertificateAuthority } from "../pki/ports.js";
import { caIssuer, type IdentityIssuer } from "../identity/instance-identity.js";
import { openIdentityCa } from "./identity-ca.js";

/** `openCa`: the CA of the cache directory (tests give their own). */
export function identityIssuer(
  cacheDir: string,
  openCa: (cacheDir: string) => Promise<CertificateAuthority> = openIdentityCa,
): IdentityIssuer {
  // A key being made keeps the event loop alive until it is done: one is made ahead only once
  // prepared, and not when closed by the time the CA is open.
  let prepared = false;
  let closed = false;
  const ready = openCa(cacheDir).then(caIssuer);
  ready.catch(() => undefined); // met again by every issue()
  return {
    issue: async (request) => (await ready).issue(request),
    prepare: () => {
      if (prepared || closed) return;
      prepared = true;
      const warm = (issuer: IdentityIssuer) => {
        if (!closed) issuer.prepare?.();
      };
      void ready.then(warm, () => undefined);
    },
    close: () => {
      closed = true;
    },
  };
}
