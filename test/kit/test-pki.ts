/**
 * The PKI of a TLS test run, made when the tests run (no private key is committed): a CA
 * standing in for cf-deployment's `service_cf_internal_ca`, server certificates for the
 * platform's internal names, and client identities (the cell's `rep` certificate, the
 * cc-uploader's own client certificate towards Cloud Controller).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CertificateAuthority, IssuedCertificate } from "../../src/pki/ports.js";
import { x509Pki } from "../../src/x509/x509-pki.js";

const dayMs = 86_400_000;

/** The names a Diego cell uses for the platform's internal endpoints. */
export const internalNames = [
  "file-server.service.cf.internal",
  "blobstore.service.cf.internal",
  "cc-uploader.service.cf.internal",
  "cloud-controller-ng.service.cf.internal",
  "stager.service.cf.internal",
  // The one name e2e tests give every fake server, reached through --resolve.
  "fake-cf.service.cf.internal",
];

export interface TestPki {
  ca: CertificateAuthority;
  /** Server certificate for every internal name plus the given addresses. */
  server: IssuedCertificate;
  /** The cell's identity (rep `tls.crt` / `tls.key`). */
  cell: IssuedCertificate;
}

export async function createTestPki(addresses: readonly string[]): Promise<TestPki> {
  const ca = await x509Pki.createAuthority({
    commonName: "fake-cf service_cf_internal_ca",
    notAfter: new Date(Date.now() + dayMs),
  });
  const server = await ca.issue({
    commonName: "fake-cf",
    dnsNames: internalNames,
    ipAddresses: [...new Set(["127.0.0.1", ...addresses])],
    usage: "server",
    notAfter: new Date(Date.now() + dayMs),
  });
  const cell = await issueClient(ca, "cell.service.cf.internal");
  return { ca, server, cell };
}

/** A client certificate of `ca`; `expired` makes one whose validity ended yesterday. */
export function issueClient(
  ca: CertificateAuthority,
  commonName: string,
  { expired = false }: { expired?: boolean } = {},
): Promise<IssuedCertificate> {
  const now = Date.now();
  return ca.issue({
    commonName,
    usage: "client",
    notBefore: expired ? new Date(now - 3 * dayMs) : undefined,
    notAfter: new Date(expired ? now - dayMs : now + dayMs),
  });
}

/** Writes `name.crt` / `name.key` (0600) into `dir`; returns their paths. */
export async function writeIdentity(
  dir: string,
  name: string,
  identity: IssuedCertificate,
): Promise<{ cert: string; key: string }> {
  await mkdir(dir, { recursive: true });
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  await writeFile(cert, identity.certPem);
  await writeFile(key, identity.keyPem, { mode: 0o600 });
  return { cert, key };
}
