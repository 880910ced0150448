/**
 * Certificates restager issues itself: the instance identity of staging and app containers
 * (docs/diego.md §3.11) and, in tests, the fake Cloud Foundry's PKI. The certificate encoding
 * stays behind this port (src/x509/: node:crypto and a DER encoder of its own).
 */

/** A certificate and its private key, both PEM. */
export interface IssuedCertificate {
  certPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
}

/**
 * Key of a certificate. `ecdsa-p256` keys are written PKCS#8; `rsa-2048` leaf keys are written
 * PKCS#1 (`RSA PRIVATE KEY`), as Go's crypto/x509 MarshalPKCS1PrivateKey writes them (the
 * executor's instance identity), while an RSA CA key stays PKCS#8.
 */
export type KeyType = "ecdsa-p256" | "rsa-2048";

/** Key usages a leaf may carry. */
export type KeyUsage = "digitalSignature" | "keyEncipherment" | "keyAgreement";

/** What a leaf certificate says about its holder. */
export interface CertificateRequest {
  commonName: string;
  /** Subject OU entries (the executor puts `app:<guid>`, `space:…`, `organization:…` here). */
  organizationalUnits?: readonly string[] | undefined;
  /**
   * `each` (default): one RDN per unit, in the order given. `shared`: all units in one
   * multi-valued RDN, DER-sorted, as Go's pkix.Name writes a list of OUs.
   */
  organizationalUnitRdn?: "each" | "shared" | undefined;
  dnsNames?: readonly string[] | undefined;
  ipAddresses?: readonly string[] | undefined;
  /** Extended key usages; default both. */
  usage?: "server" | "client" | "both" | undefined;
  /** Default: digitalSignature and keyAgreement. */
  keyUsages?: readonly KeyUsage[] | undefined;
  /** Default: ecdsa-p256. */
  keyType?: KeyType | undefined;
  /**
   * The leaf's private key, made ahead by Pki.generateKeyPem() and never used before (PKCS#8
   * PEM, of `keyType`); default: a new key. A key of another type is refused.
   */
  keyPem?: string | undefined;
  /**
   * `restager` (default): the leaf says basicConstraints CA:false and has a subject key
   * identifier and a random serial. `executor`: as the executor's credential manager writes an
   * instance identity, from a Go x509 template that asks for neither (so Go writes neither),
   * with a random (v4) UUID's 16 bytes as the serial.
   */
  template?: "restager" | "executor" | undefined;
  /** Default: now minus one minute (clock skew between host and engine). */
  notBefore?: Date | undefined;
  notAfter: Date;
}

/** A CA that signs leaf certificates. */
export interface CertificateAuthority {
  readonly certPem: string;
  readonly keyPem: string;
  issue(request: CertificateRequest): Promise<IssuedCertificate>;
  /**
   * Starts making a key of `keyType` in the background, for the next issue() of that type (each
   * key is used once), so that issuing then only signs. A failure surfaces in that issue().
   */
  warmUp(keyType: KeyType): void;
}

/** Creates and loads CAs; the adapter is loaded lazily (it is only needed by some runs). */
export interface Pki {
  createAuthority(options: {
    commonName: string;
    notAfter: Date;
    /** Default: ecdsa-p256. The CA key is written PKCS#8 either way. */
    keyType?: KeyType | undefined;
  }): Promise<CertificateAuthority>;
  /** Rejects with InvalidInputError when the PEMs are not a CA certificate and its key. */
  loadAuthority(pem: IssuedCertificate): Promise<CertificateAuthority>;
  /** A new private key (PKCS#8 PEM) for a later CertificateRequest.keyPem. */
  generateKeyPem(keyType: KeyType): Promise<string>;
}
