import type { CertificateAuthority, KeyType } from "../../src/pki/ports.js";

/** `ca`, recording in `warmed` every key type it is asked to make ahead. */
export function countingWarmUps(ca: CertificateAuthority, warmed: KeyType[]): CertificateAuthority {
  return {
    certPem: ca.certPem,
    keyPem: ca.keyPem,
    issue: (request) => ca.issue(request),
    warmUp: (keyType) => {
      warmed.push(keyType);
      ca.warmUp(keyType);
    },
  };
}
