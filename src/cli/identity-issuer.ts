/**
 * Instance identities issued in this process, for `launch` and `restage`: the local CA is opened
 * as soon as the issuer is made, and once the run says an identity will be needed (prepare(),
 * when it is about to create its containers) the first key is taken from the keys made ahead
 * (`spareKeys`, src/identity/spare-keys.ts) or, when there are none, one RSA key is started in
 * libuv's thread pool (caIssuer, src/identity/instance-identity.ts) while the containers are
 * created and started; an identity is then only signed once the container's address is known. The
 * adapter is node:crypto alone (src/x509/), so nothing heavy is loaded, and no thread of ours
 * competes with the engine starting the container (bench/identity-bench.ts measures both).
 */
import type { CertificateAuthority } from "../pki/ports.js";
import {
  caIssuer,
  instanceIdentityKeyType,
  type IdentityIssuer,
} from "../identity/instance-identity.js";
import { spareKeyPool } from "../identity/spare-keys.js";
import { openIdentityCa } from "./identity-ca.js";

export interface IdentityIssuerOptions {
  /** Default: the CA of the cache directory (tests give their own). */
  openCa?: ((cacheDir: string) => Promise<CertificateAuthority>) | undefined;
  /**
   * Take keys from those made ahead in the cache directory (`launch`, whose identity keeper
   * makes the next ones). Default: no (`restage` makes its one key while its container is
   * created, where it costs nothing, and leaves the kept ones to the launches).
   */
  spareKeys?: boolean | undefined;
}

export function identityIssuer(
  cacheDir: string,
  options: IdentityIssuerOptions = {},
): IdentityIssuer {
  const { openCa = openIdentityCa } = options;
  const spare = options.spareKeys ? spareKeyPool(cacheDir, instanceIdentityKeyType) : undefined;
  // A key being made keeps the event loop alive until it is done: one is made ahead only once
  // prepared, and not when closed by the time the CA is open.
  let prepared = false;
  let closed = false;
  const ready = openCa(cacheDir).then((ca) => caIssuer(ca, spare));
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
