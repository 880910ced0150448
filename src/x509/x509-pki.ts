/**
 * The Pki port over node:crypto alone (ECDSA P-256 or RSA 2048, SHA-256), the certificates
 * encoded by ./certificate.ts. Keys are made in libuv's thread pool (crypto.generateKeyPair), so
 * the calling thread only encodes and signs.
 */
import {
  X509Certificate,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
} from "node:crypto";
import { InvalidInputError } from "../errors.js";
import type {
  CertificateAuthority,
  CertificateRequest,
  IssuedCertificate,
  KeyType,
  Pki,
} from "../pki/ports.js";
import {
  authorityKeyIdentifier,
  basicConstraints,
  certificateParts,
  certificatePem,
  encodeName,
  extendedKeyUsage,
  keyIdentifier,
  keyUsage,
  keyUsageBits,
  serialNumber,
  signCertificate,
  subjectAltName,
  subjectKeyIdentifier,
  uuidSerialNumber,
  type CertificateParts,
  type Extension,
  type NameAttribute,
} from "./certificate.js";

const skewMs = 60_000;
const recreateHint = "remove the CA files so that restager creates a new CA";

interface KeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export const x509Pki: Pki = {
  async createAuthority({ commonName, notAfter, keyType = "ecdsa-p256" }) {
    const keys = await generateKeys(keyType);
    const subject = encodeName([[{ type: "CN", value: commonName }]]);
    const keyId = keyIdentifier(keys.publicKey);
    const der = signCertificate({
      serial: serialNumber(),
      issuer: subject,
      subject,
      notBefore: new Date(Date.now() - skewMs),
      notAfter,
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      extensions: [
        basicConstraints(true),
        keyUsage([keyUsageBits.keyCertSign, keyUsageBits.cRLSign]),
        subjectKeyIdentifier(keyId),
      ],
    });
    const keyPem = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    return new LocalAuthority({ der, key: keys.privateKey, keyPem }, { subject, keyId });
  },

  async loadAuthority(pem) {
    const { cert, key, parts } = readAuthority(pem);
    if (!cert.ca) {
      throw new InvalidInputError("the CA certificate is not a CA (basicConstraints)", [], {
        hint: recreateHint,
      });
    }
    const keyId = parts.subjectKeyId ?? keyIdentifier(cert.publicKey);
    return Promise.resolve(
      new LocalAuthority(
        { der: cert.raw, key, keyPem: pem.keyPem },
        { subject: parts.subject, keyId },
      ),
    );
  },

  async generateKeyPem(keyType) {
    const keys = await generateKeys(keyType);
    return keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  },
};

/** The certificate, its parts and its key; a key that is not the certificate's is unreadable. */
function readAuthority(pem: IssuedCertificate): {
  cert: X509Certificate;
  key: KeyObject;
  parts: CertificateParts;
} {
  try {
    const cert = new X509Certificate(pem.certPem);
    const key = createPrivateKey(pem.keyPem);
    if (keyTypeOf(key) !== keyTypeOf(cert.publicKey) || !cert.checkPrivateKey(key)) {
      throw new Error("the key is not the certificate's");
    }
    return { cert, key, parts: certificateParts(cert.raw) };
  } catch (cause) {
    throw new InvalidInputError("the CA certificate or key cannot be read", [], {
      cause,
      hint: recreateHint,
    });
  }
}

class LocalAuthority implements CertificateAuthority {
  readonly certPem: string;
  readonly keyPem: string;
  readonly #key: KeyObject;
  readonly #subject: Buffer;
  readonly #keyId: Buffer;
  /** Keys made ahead by warmUp(), one per type, each handed to one issue(). */
  readonly #spareKeys = new Map<KeyType, Promise<KeyPair>>();

  constructor(
    own: { der: Buffer; key: KeyObject; keyPem: string },
    name: { subject: Buffer; keyId: Buffer },
  ) {
    this.certPem = certificatePem(own.der);
    this.keyPem = own.keyPem;
    this.#key = own.key;
    this.#subject = name.subject;
    this.#keyId = name.keyId;
  }

  warmUp(keyType: KeyType): void {
    if (this.#spareKeys.has(keyType)) return;
    const spare = generateKeys(keyType);
    spare.catch(() => undefined);
    this.#spareKeys.set(keyType, spare);
  }

  async issue(request: CertificateRequest): Promise<IssuedCertificate> {
    const keyType = request.keyType ?? "ecdsa-p256";
    const keys = await this.#keysFor(keyType, request.keyPem);
    const der = signCertificate({
      serial: request.template === "executor" ? uuidSerialNumber() : serialNumber(),
      issuer: this.#subject,
      subject: encodeName(subjectOf(request)),
      notBefore: request.notBefore ?? new Date(Date.now() - skewMs),
      notAfter: request.notAfter,
      publicKey: keys.publicKey,
      signingKey: this.#key,
      extensions: this.#leafExtensions(request, keys.publicKey),
    });
    const keyPem = keys.privateKey
      .export({ type: keyType === "rsa-2048" ? "pkcs1" : "pkcs8", format: "pem" })
      .toString();
    return { certPem: certificatePem(der), keyPem };
  }

  /** The request's own key, else the one made ahead, else a new one. */
  #keysFor(keyType: KeyType, keyPem: string | undefined): Promise<KeyPair> {
    if (keyPem !== undefined) return Promise.resolve(keysFromPem(keyType, keyPem));
    const spare = this.#spareKeys.get(keyType);
    this.#spareKeys.delete(keyType);
    return spare ?? generateKeys(keyType);
  }

  /**
   * In the order Go writes them (keyUsage, extKeyUsage, basicConstraints, subject key id,
   * authority key id, SANs), so that either template reads as its Go original would.
   */
  #leafExtensions(request: CertificateRequest, publicKey: KeyObject): Extension[] {
    const usage = request.usage ?? "both";
    const usages = request.keyUsages ?? ["digitalSignature", "keyAgreement"];
    const extensions = [
      keyUsage(usages.map((name) => keyUsageBits[name])),
      extendedKeyUsage({ server: usage !== "client", client: usage !== "server" }),
    ];
    if (request.template !== "executor") {
      extensions.push(basicConstraints(false), subjectKeyIdentifier(keyIdentifier(publicKey)));
    }
    extensions.push(authorityKeyIdentifier(this.#keyId));
    const dnsNames = request.dnsNames ?? [];
    const ips = request.ipAddresses ?? [];
    if (dnsNames.length + ips.length > 0) extensions.push(subjectAltName(dnsNames, ips));
    return extensions;
  }
}

/**
 * OU RDNs then CN. `shared` puts every OU in one RDN, whose members DER orders by encoding
 * (encodeName sorts them), as Go's pkix.Name writes a list of OUs.
 */
function subjectOf(request: CertificateRequest): NameAttribute[][] {
  const units = (request.organizationalUnits ?? []).map((value) => ({
    type: "OU" as const,
    value,
  }));
  const cn: NameAttribute[] = [{ type: "CN", value: request.commonName }];
  if (request.organizationalUnitRdn !== "shared") return [...units.map((unit) => [unit]), cn];
  return units.length > 0 ? [units, cn] : [cn];
}

function keyTypeOf(key: KeyObject): KeyType | undefined {
  if (key.asymmetricKeyType === "rsa") return "rsa-2048";
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") {
    return "ecdsa-p256";
  }
  return undefined;
}

function keysFromPem(keyType: KeyType, keyPem: string): KeyPair {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(keyPem);
  } catch (cause) {
    throw new InvalidInputError("the key made ahead for a certificate cannot be read", [], {
      cause,
    });
  }
  if (keyTypeOf(privateKey) !== keyType) {
    throw new InvalidInputError(`the key made ahead for a certificate is not ${keyType}`, []);
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

function generateKeys(keyType: KeyType): Promise<KeyPair> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: KeyObject, privateKey: KeyObject) => {
      if (error) reject(error);
      else resolve({ publicKey, privateKey });
    };
    if (keyType === "rsa-2048") {
      generateKeyPair("rsa", { modulusLength: 2048, publicExponent: 0x10001 }, done);
    } else {
      generateKeyPair("ec", { namedCurve: "P-256" }, done);
    }
  });
}
