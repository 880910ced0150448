/**
 * The instance identity a Diego cell gives every container when instance identity is enabled
 * (staging tasks and LRP instances alike): a certificate and key the container finds at
 * CF_INSTANCE_CERT / CF_INSTANCE_KEY, mounted read-only. What the executor's credential manager
 * puts in it, and restager reproduces:
 * - subject CN = the container guid (a task's guid; an LRP instance's instance guid), and the OUs
 *   of the request's `certificate_properties.organizational_unit` as given (Cloud Controller puts
 *   `organization:<guid>`, `space:<guid>`, `app:<guid>` there), all in one RDN;
 * - SANs: DNS = the container guid, IP = the container's IP (none when it has none);
 * - valid from now for 24 hours (the cell's default validity period);
 * - key usages digitalSignature, keyEncipherment, keyAgreement; client and server auth;
 * - extensions as Go writes the executor's template: no basicConstraints, no subject key
 *   identifier, client auth before server auth; the serial is a random UUID's 16 bytes;
 * - an RSA 2048 key written as `RSA PRIVATE KEY` (PKCS#1), and a certificate file holding the
 *   leaf followed by the issuing CA's certificate.
 * The CA is restager's local one (./local-ca.ts) rather than the cell's.
 */
import type { CertificateAuthority } from "../pki/ports.js";
import type { EnvVar } from "../core/env-var.js";
import { InvalidInputError } from "../errors.js";
import type { SpareKeys } from "./spare-keys.js";

/** Where the executor mounts the credentials (its default containerMountPath). */
export const instanceIdentityDir = "/etc/cf-instance-credentials";
export const instanceCertPath = `${instanceIdentityDir}/instance.crt`;
export const instanceKeyPath = `${instanceIdentityDir}/instance.key`;
export const instanceIdentityValidityMs = 24 * 3_600_000;
/** The key of every instance identity (the executor's). */
export const instanceIdentityKeyType = "rsa-2048";

export interface InstanceIdentityRequest {
  /** The container guid: the task guid, or the LRP instance guid. */
  containerGuid: string;
  /** The container's IP as the cell reports it (internal IP, else external); "" for none. */
  containerIp: string;
  /** `certificate_properties.organizational_unit`, as in the request. */
  organizationalUnits: readonly string[];
  /** Default: now. */
  now?: Date | undefined;
}

/** The two files, as the container sees them. */
export interface InstanceIdentity {
  /** Leaf certificate then the CA certificate, PEM. */
  certPem: string;
  /** PKCS#1 PEM. */
  keyPem: string;
}

/**
 * What issues the identities of a run's containers: a CA (caIssuer), opened beside the run
 * (src/cli/identity-issuer.ts) so that opening it and making the first key are not in its way.
 */
export interface IdentityIssuer {
  issue(request: InstanceIdentityRequest): Promise<InstanceIdentity>;
  /**
   * Says an identity will be asked for soon: one key is made ahead from now on, beside the work
   * that comes first (creating the container). Until then none is: a key being made holds the
   * process's exit back (an RSA key takes 0.1–0.7 s of CPU), and a run that fails before its
   * first container needs none.
   */
  prepare?(): void;
  /**
   * Says no more identities are needed soon: no key is made ahead from now on; a later issue()
   * still works.
   */
  close?(): void;
}

/**
 * Issues with `ca`. Keys come from `spareKeys` (made ahead by an earlier process) while it has
 * any; prepare() takes the first issue's key from it, or, when it has none, has `ca` make one
 * ahead, and only one: a launch's instances ask at about the same time anyway.
 */
export function caIssuer(ca: CertificateAuthority, spareKeys?: SpareKeys): IdentityIssuer {
  let prepared: Promise<string | undefined> | undefined;
  const warmUp = () => ca.warmUp(instanceIdentityKeyType);
  const takeOrWarmUp = async (spare: SpareKeys) => {
    const key = await spare.take();
    if (key === undefined) warmUp();
    return key;
  };
  return {
    issue: async (request) => {
      const ahead = prepared;
      prepared = undefined;
      const keyPem = await (ahead ?? spareKeys?.take());
      return issueWithSpareKey(ca, request, keyPem);
    },
    prepare: () => {
      if (spareKeys === undefined) warmUp();
      else prepared ??= takeOrWarmUp(spareKeys);
    },
  };
}

/** A spare key that cannot be used (a damaged file) costs a new key, not the identity. */
async function issueWithSpareKey(
  ca: CertificateAuthority,
  request: InstanceIdentityRequest,
  keyPem: string | undefined,
): Promise<InstanceIdentity> {
  if (keyPem === undefined) return issueInstanceIdentity(ca, request);
  try {
    return await issueInstanceIdentity(ca, request, keyPem);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return issueInstanceIdentity(ca, request);
  }
}

/** `keyPem`: the leaf's key, made ahead (default: a new one). */
export async function issueInstanceIdentity(
  ca: CertificateAuthority,
  request: InstanceIdentityRequest,
  keyPem?: string,
): Promise<InstanceIdentity> {
  const now = request.now ?? new Date();
  const leaf = await ca.issue({
    commonName: request.containerGuid,
    organizationalUnits: request.organizationalUnits,
    organizationalUnitRdn: "shared",
    dnsNames: [request.containerGuid],
    ipAddresses: request.containerIp === "" ? [] : [request.containerIp],
    usage: "both",
    keyUsages: ["digitalSignature", "keyEncipherment", "keyAgreement"],
    keyType: instanceIdentityKeyType,
    keyPem,
    template: "executor",
    notBefore: now,
    notAfter: new Date(now.getTime() + instanceIdentityValidityMs),
  });
  return { certPem: leaf.certPem + ca.certPem, keyPem: leaf.keyPem };
}

/** The variables the executor adds to the container's environment with the mount. */
export function instanceIdentityEnv(): EnvVar[] {
  return [
    { name: "CF_INSTANCE_CERT", value: instanceCertPath },
    { name: "CF_INSTANCE_KEY", value: instanceKeyPath },
  ];
}
