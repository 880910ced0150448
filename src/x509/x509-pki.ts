/** The Pki port over @peculiar/x509 and Node's WebCrypto (ECDSA P-256 or RSA 2048, SHA-256). */
import "reflect-metadata";
import { createPrivateKey, randomBytes, webcrypto } from "node:crypto";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from "@peculiar/x509";
import { InvalidInputError } from "../errors.js";
import type {
  CertificateAuthority,
  CertificateRequest,
  IssuedCertificate,
  KeyType,
  KeyUsage,
  Pki,
} from "../pki/ports.js";

// The library is typed against the DOM's Crypto; Node's WebCrypto is the same API.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const algorithms = {
  "ecdsa-p256": { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" },
  "rsa-2048": {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  },
} as const;
const skewMs = 60_000;

export const x509Pki: Pki = {
  async createAuthority({ commonName, notAfter, keyType = "ecdsa-p256" }) {
    const algorithm = algorithms[keyType];
    const keys = await generateKeys(keyType);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name: [{ CN: [commonName] }],
      notBefore: new Date(Date.now() - skewMs),
      notAfter,
      keys,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new X509Authority(cert, keys.privateKey, await exportPkcs8(keys.privateKey));
  },

  async loadAuthority(pem) {
    let cert: x509.X509Certificate;
    let key: CryptoKey;
    try {
      cert = new x509.X509Certificate(pem.certPem);
      key = await webcrypto.subtle.importKey(
        "pkcs8",
        x509.PemConverter.decodeFirst(pem.keyPem),
        algorithms[keyTypeOf(cert)],
        true,
        ["sign"],
      );
    } catch (cause) {
      throw new InvalidInputError("the CA certificate or key cannot be read", [], {
        cause,
        hint: "remove the CA files so that restager creates a new CA",
      });
    }
    const constraints = cert.getExtension(x509.BasicConstraintsExtension);
    if (!constraints?.ca) {
      throw new InvalidInputError("the CA certificate is not a CA (basicConstraints)", [], {
        hint: "remove the CA files so that restager creates a new CA",
      });
    }
    return new X509Authority(cert, key, pem.keyPem);
  },
};

class X509Authority implements CertificateAuthority {
  readonly certPem: string;

  constructor(
    private readonly cert: x509.X509Certificate,
    private readonly key: CryptoKey,
    readonly keyPem: string,
  ) {
    this.certPem = cert.toString("pem") + "\n";
  }

  /** Keys made ahead by warmUp(), one per type, each handed to one issue(). */
  readonly #spareKeys = new Map<KeyType, Promise<CryptoKeyPair>>();

  warmUp(keyType: KeyType): void {
    if (this.#spareKeys.has(keyType)) return;
    const spare = generateKeys(keyType);
    spare.catch(() => undefined);
    this.#spareKeys.set(keyType, spare);
  }

  async issue(request: CertificateRequest): Promise<IssuedCertificate> {
    const keyType = request.keyType ?? "ecdsa-p256";
    const spare = this.#spareKeys.get(keyType);
    this.#spareKeys.delete(keyType);
    const keys = await (spare ?? generateKeys(keyType));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: subjectOf(request),
      issuer: this.cert.subject,
      notBefore: request.notBefore ?? new Date(Date.now() - skewMs),
      notAfter: request.notAfter,
      publicKey: keys.publicKey,
      signingKey: this.key,
      signingAlgorithm: algorithms[keyTypeOf(this.cert)],
      extensions: await leafExtensions(request, keys.publicKey, this.cert),
    });
    const keyPem =
      keyType === "rsa-2048"
        ? await exportPkcs1(keys.privateKey)
        : await exportPkcs8(keys.privateKey);
    return { certPem: cert.toString("pem") + "\n", keyPem };
  }
}

function keyTypeOf(cert: x509.X509Certificate): KeyType {
  const algorithm = cert.publicKey.algorithm as { name: string };
  return algorithm.name === "ECDSA" ? "ecdsa-p256" : "rsa-2048";
}

function subjectOf(request: CertificateRequest): x509.JsonName {
  const name: x509.JsonName = [];
  const units = request.organizationalUnits ?? [];
  if (request.organizationalUnitRdn === "shared") {
    if (units.length > 0) name.push({ OU: derSorted(units) });
  } else {
    for (const unit of units) name.push({ OU: [unit] });
  }
  name.push({ CN: [request.commonName] });
  return name;
}

/**
 * DER orders the members of a SET OF by their encodings. Comparing the encodings of one-OU names
 * orders them the same way: their headers differ exactly when the OU encodings' lengths do.
 */
function derSorted(units: readonly string[]): string[] {
  const encoded = units.map((unit) => ({
    unit,
    der: Buffer.from(new x509.Name([{ OU: [unit] }]).toArrayBuffer()),
  }));
  return encoded.sort((a, b) => Buffer.compare(a.der, b.der)).map((entry) => entry.unit);
}

const keyUsageFlags: Record<KeyUsage, number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
};

async function leafExtensions(
  request: CertificateRequest,
  publicKey: CryptoKey,
  issuer: x509.X509Certificate,
): Promise<x509.Extension[]> {
  const usage = request.usage ?? "both";
  const purposes: string[] = [];
  if (usage !== "client") purposes.push(x509.ExtendedKeyUsage.serverAuth);
  if (usage !== "server") purposes.push(x509.ExtendedKeyUsage.clientAuth);
  const names: x509.JsonGeneralNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      (request.keyUsages ?? ["digitalSignature", "keyAgreement"]).reduce(
        (flags, usage) => flags | keyUsageFlags[usage],
        0,
      ),
      true,
    ),
    new x509.ExtendedKeyUsageExtension(purposes, false),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuer),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  return extensions;
}

async function generateKeys(keyType: KeyType): Promise<CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(algorithms[keyType], true, ["sign", "verify"]);
}

async function exportPkcs8(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY") + "\n";
}

/** `RSA PRIVATE KEY` PEM; Node's KeyObject re-encodes the PKCS#8 export. */
async function exportPkcs1(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" })
    .export({ type: "pkcs1", format: "pem" })
    .toString();
}

/** 16 random bytes, positive (top bit clear), as RFC 5280 asks. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}
