/** The Pki port over @peculiar/x509 and Node's WebCrypto (ECDSA P-256, SHA-256). */
import "reflect-metadata";
import { randomBytes, webcrypto } from "node:crypto";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from "@peculiar/x509";
import { InvalidInputError } from "../errors.js";
import type {
  CertificateAuthority,
  CertificateRequest,
  IssuedCertificate,
  Pki,
} from "../pki/ports.js";

// The library is typed against the DOM's Crypto; Node's WebCrypto is the same API.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const skewMs = 60_000;

export const x509Pki: Pki = {
  async createAuthority({ commonName, notAfter }) {
    const keys = await generateKeys();
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
    return new X509Authority(cert, keys.privateKey, await exportKey(keys.privateKey));
  },

  async loadAuthority(pem) {
    let cert: x509.X509Certificate;
    let key: CryptoKey;
    try {
      cert = new x509.X509Certificate(pem.certPem);
      key = await webcrypto.subtle.importKey(
        "pkcs8",
        x509.PemConverter.decodeFirst(pem.keyPem),
        algorithm,
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

  async issue(request: CertificateRequest): Promise<IssuedCertificate> {
    const keys = await generateKeys();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: subjectOf(request),
      issuer: this.cert.subject,
      notBefore: request.notBefore ?? new Date(Date.now() - skewMs),
      notAfter: request.notAfter,
      publicKey: keys.publicKey,
      signingKey: this.key,
      signingAlgorithm: algorithm,
      extensions: await leafExtensions(request, keys.publicKey, this.cert),
    });
    return { certPem: cert.toString("pem") + "\n", keyPem: await exportKey(keys.privateKey) };
  }
}

function subjectOf(request: CertificateRequest): x509.JsonName {
  const name: x509.JsonName = [];
  for (const unit of request.organizationalUnits ?? []) name.push({ OU: [unit] });
  name.push({ CN: [request.commonName] });
  return name;
}

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
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
      true,
    ),
    new x509.ExtendedKeyUsageExtension(purposes, false),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuer),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  return extensions;
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]));
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY") + "\n";
}

/** 16 random bytes, positive (top bit clear), as RFC 5280 asks. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}
