/**
 * Certificates restager issues itself: the instance identity of staging and app containers
 * (diego-reference.md §3.11) and, in tests, the fake Cloud Foundry's PKI. The X.509 library
 * stays behind this port (src/x509/).
 */

/** A certificate and its private key, both PEM. */
export interface IssuedCertificate {
  certPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
}

/** What a leaf certificate says about its holder. */
export interface CertificateRequest {
  commonName: string;
  /** Subject OU entries, in order (the executor puts `app:<guid>`, `space:…`, `organization:…` here). */
  organizationalUnits?: readonly string[] | undefined;
  dnsNames?: readonly string[] | undefined;
  ipAddresses?: readonly string[] | undefined;
  /** Extended key usages; default both. */
  usage?: "server" | "client" | "both" | undefined;
  /** Default: now minus one minute (clock skew between host and engine). */
  notBefore?: Date | undefined;
  notAfter: Date;
}

/** A CA that signs leaf certificates. */
export interface CertificateAuthority {
  readonly certPem: string;
  readonly keyPem: string;
  issue(request: CertificateRequest): Promise<IssuedCertificate>;
}

/** Creates and loads CAs; the adapter is loaded lazily (it is only needed by some runs). */
export interface Pki {
  createAuthority(options: { commonName: string; notAfter: Date }): Promise<CertificateAuthority>;
  /** Rejects with InvalidInputError when the PEMs are not a CA certificate and its key. */
  loadAuthority(pem: IssuedCertificate): Promise<CertificateAuthority>;
}
