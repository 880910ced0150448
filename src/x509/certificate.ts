/**
 * X.509 v3 certificates (RFC 5280) encoded with ./der.ts and signed with node:crypto: the
 * fields and extensions restager's CAs and leaves carry, encoded as Go's crypto/x509 writes them
 * (names as PrintableString or UTF8String, key identifiers as SHA-1 of the public key).
 */
import { createHash, randomBytes, randomUUID, sign, type KeyObject } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import {
  bitString,
  contextTag,
  derNull,
  derTrue,
  directoryString,
  namedBits,
  octetString,
  oid,
  readElement,
  readElements,
  sequence,
  setOf,
  tag,
  time,
  tlv,
  unsignedInteger,
} from "./der.js";

const oids = {
  commonName: "2.5.4.3",
  organizationalUnit: "2.5.4.11",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  subjectAltName: "2.5.29.17",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
} as const;

/** Bit positions of keyUsage (RFC 5280 §4.2.1.3). */
export const keyUsageBits = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

/** One attribute of a name: OU or CN. */
export interface NameAttribute {
  type: "OU" | "CN";
  value: string;
}

/** A distinguished name: its RDNs in order, each one or more attributes. */
export function encodeName(rdns: readonly (readonly NameAttribute[])[]): Buffer {
  return sequence(
    ...rdns.map((rdn) =>
      setOf(
        ...rdn.map(({ type, value }) =>
          sequence(
            oid(type === "CN" ? oids.commonName : oids.organizationalUnit),
            directoryString(value),
          ),
        ),
      ),
    ),
  );
}

export interface Extension {
  oid: string;
  critical: boolean;
  /** The DER of the extension's value (wrapped in the OCTET STRING here). */
  value: Buffer;
}

function encodeExtension({ oid: id, critical, value }: Extension): Buffer {
  return critical
    ? sequence(oid(id), derTrue, octetString(value))
    : sequence(oid(id), octetString(value));
}

export function basicConstraints(ca: boolean): Extension {
  return { oid: oids.basicConstraints, critical: true, value: ca ? sequence(derTrue) : sequence() };
}

export function keyUsage(bits: readonly number[]): Extension {
  return { oid: oids.keyUsage, critical: true, value: namedBits(bits) };
}

/** Client before server: the order of the executor's instance-identity template. */
export function extendedKeyUsage(usage: { server: boolean; client: boolean }): Extension {
  const purposes: Buffer[] = [];
  if (usage.client) purposes.push(oid(oids.clientAuth));
  if (usage.server) purposes.push(oid(oids.serverAuth));
  return { oid: oids.extKeyUsage, critical: false, value: sequence(...purposes) };
}

export function subjectKeyIdentifier(keyId: Buffer): Extension {
  return { oid: oids.subjectKeyIdentifier, critical: false, value: octetString(keyId) };
}

export function authorityKeyIdentifier(keyId: Buffer): Extension {
  return {
    oid: oids.authorityKeyIdentifier,
    critical: false,
    value: sequence(tlv(contextTag(0, false), keyId)),
  };
}

/** dNSName entries, then iPAddress entries (4 or 16 bytes). */
export function subjectAltName(dnsNames: readonly string[], ips: readonly string[]): Extension {
  const names = [
    ...dnsNames.map((name) => tlv(contextTag(2, false), Buffer.from(name, "ascii"))),
    ...ips.map((ip) => tlv(contextTag(7, false), ipBytes(ip))),
  ];
  return { oid: oids.subjectAltName, critical: false, value: sequence(...names) };
}

/** The bytes of an IPv4 or IPv6 address. */
export function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split(".").map(Number));
  if (!isIPv6(ip)) throw new Error(`not an IP address: ${ip}`);
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4 !== undefined) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.split(".").map(Number);
    text =
      text.slice(0, -v4.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const zeros = Array<string>(8 - front.length - back.length).fill("0");
  const bytes = Buffer.alloc(16);
  [...front, ...zeros, ...back].forEach((group, i) =>
    bytes.writeUInt16BE(parseInt(group, 16), i * 2),
  );
  return bytes;
}

/** The key identifier of RFC 5280 §4.2.1.2 (1): SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: "spki", format: "der" });
  const [, bits] = readElements(readElement(spki).content);
  if (bits?.tag !== tag.bitString) throw new Error("DER: a public key without its bits");
  return createHash("sha1").update(bits.content.subarray(1)).digest();
}

/** 16 random bytes, positive (top bit clear), as RFC 5280 asks. */
export function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes;
}

/** A random (v4) UUID's 16 bytes, read as an unsigned number (the executor's serials). */
export function uuidSerialNumber(): Buffer {
  return Buffer.from(randomUUID().replaceAll("-", ""), "hex");
}

export interface CertificateFields {
  serial: Buffer;
  /** DER of the issuer's name (the CA's subject, byte for byte). */
  issuer: Buffer;
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
  extensions: readonly Extension[];
  /** The issuer's private key: RSA signs sha256WithRSAEncryption, EC ecdsa-with-SHA256. */
  signingKey: KeyObject;
}

/** The signed certificate, DER. */
export function signCertificate(fields: CertificateFields): Buffer {
  const algorithm =
    fields.signingKey.asymmetricKeyType === "rsa"
      ? sequence(oid(oids.sha256WithRsa), derNull)
      : sequence(oid(oids.ecdsaWithSha256));
  const tbs = sequence(
    tlv(contextTag(0, true), unsignedInteger(Buffer.from([2]))),
    unsignedInteger(fields.serial),
    algorithm,
    fields.issuer,
    sequence(time(fields.notBefore), time(fields.notAfter)),
    fields.subject,
    fields.publicKey.export({ type: "spki", format: "der" }),
    tlv(contextTag(3, true), sequence(...fields.extensions.map(encodeExtension))),
  );
  const signature = sign("sha256", tbs, fields.signingKey);
  return sequence(tbs, algorithm, bitString(signature));
}

/** What a CA reuses of its own certificate. */
export interface CertificateParts {
  subject: Buffer;
  /** The subjectKeyIdentifier extension's value, when there is one. */
  subjectKeyId?: Buffer | undefined;
}

/** Reads the subject and subject key identifier of a DER certificate. */
export function certificateParts(der: Buffer): CertificateParts {
  const [tbs] = readElements(readElement(der).content);
  if (tbs === undefined) throw new Error("DER: a certificate without its body");
  const fields = readElements(tbs.content);
  const versioned = fields[0]?.tag === contextTag(0, true) ? 1 : 0;
  const subject = fields[versioned + 4];
  if (subject === undefined) throw new Error("DER: a certificate without its subject");
  const extensions = fields.find((field) => field.tag === contextTag(3, true));
  return { subject: subject.der, subjectKeyId: extensions && findKeyId(extensions.content) };
}

function findKeyId(extensionsDer: Buffer): Buffer | undefined {
  const list = readElements(readElement(extensionsDer).content);
  for (const extension of list) {
    const [id, ...rest] = readElements(extension.content);
    if (id?.der.equals(oid(oids.subjectKeyIdentifier))) {
      const value = rest[rest.length - 1];
      return value && readElement(value.content).content;
    }
  }
  return undefined;
}

/** PEM of a DER certificate, 64 characters a line, ending with a newline. */
export function certificatePem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
