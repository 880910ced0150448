import { X509Certificate, createPrivateKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { x509Pki } from "../../../src/x509/x509-pki.js";
import {
  caIssuer,
  instanceIdentityEnv,
  instanceIdentityValidityMs,
  issueInstanceIdentity,
} from "../../../src/identity/instance-identity.js";
import type { KeyType } from "../../../src/pki/ports.js";
import { readElement, readElements } from "../../../src/x509/der.js";
import { countingWarmUps } from "../../kit/counting-ca.js";

const inAYear = () => new Date(Date.now() + 365 * 86_400_000);
const guid = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";

/** The extensions of a DER certificate in their order: OID, and "critical" when marked so. */
function extensionOids(der: Buffer): string[] {
  const [tbs] = readElements(readElement(der).content);
  const fields = readElements(tbs?.content ?? Buffer.alloc(0));
  const wrapped = fields.find((field) => field.tag === 0xa3);
  const list = readElements(readElement(wrapped?.content ?? Buffer.alloc(0)).content);
  return list.map((extension) => {
    const [id, second] = readElements(extension.content);
    const critical = second?.tag === 0x01 && second.content[0] === 0xff;
    return `${decodeOid(id?.content ?? Buffer.alloc(0))}${critical ? " critical" : ""}`;
  });
}

function decodeOid(bytes: Buffer): string {
  const arcs = [Math.floor((bytes[0] ?? 0) / 40), (bytes[0] ?? 0) % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join(".");
}

describe("issueInstanceIdentity", () => {
  it("carries the executor's subject, SANs, usages, validity, key format and chain", async () => {
    const ca = await x509Pki.createAuthority({
      commonName: "test CA",
      notAfter: inAYear(),
      keyType: "rsa-2048",
    });
    const now = new Date("2026-01-02T03:04:05.000Z");
    const identity = await issueInstanceIdentity(ca, {
      containerGuid: guid,
      containerIp: "172.17.0.9",
      organizationalUnits: ["organization:org-guid", "space:space-guid", "app:app-guid"],
      now,
    });
    const pems = identity.certPem.match(
      /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g,
    );
    expect(pems).toHaveLength(2);
    const leaf = new X509Certificate(pems?.[0] ?? "");
    const chained = new X509Certificate(pems?.[1] ?? "");
    const caCert = new X509Certificate(ca.certPem);
    expect(chained.fingerprint256).toBe(caCert.fingerprint256);
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    // One multi-valued RDN, DER-sorted (shorter encodings first), then CN: how Go writes it.
    expect(leaf.subject).toBe(
      `OU=app:app-guid + OU=space:space-guid + OU=organization:org-guid\nCN=${guid}`,
    );
    expect(leaf.subjectAltName).toBe(`DNS:${guid}, IP Address:172.17.0.9`);
    // The executor's Go template: client auth first; only what Go writes for it.
    expect(leaf.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1"]);
    expect(extensionOids(leaf.raw)).toEqual([
      "2.5.29.15 critical", // keyUsage
      "2.5.29.37", // extKeyUsage
      "2.5.29.35", // authorityKeyIdentifier (the CA has a subject key identifier)
      "2.5.29.17", // subjectAltName
    ]);
    expect(leaf.ca).toBe(false);
    // The serial is a v4 UUID's 16 bytes.
    expect(leaf.serialNumber.padStart(32, "0").slice(-32)).toMatch(
      /^[0-9A-F]{12}4[0-9A-F]{3}[89AB][0-9A-F]{15}$/,
    );
    expect(new Date(leaf.validFrom).getTime()).toBe(now.getTime());
    expect(new Date(leaf.validTo).getTime()).toBe(now.getTime() + instanceIdentityValidityMs);
    expect(identity.keyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    const key = createPrivateKey(identity.keyPem);
    expect(key.asymmetricKeyType).toBe("rsa");
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(leaf.checkPrivateKey(key)).toBe(true);
  });

  it("leaves the IP SAN out when the container has no IP", async () => {
    const ca = await x509Pki.createAuthority({ commonName: "test CA", notAfter: inAYear() });
    const identity = await issueInstanceIdentity(ca, {
      containerGuid: guid,
      containerIp: "",
      organizationalUnits: [],
    });
    const leaf = new X509Certificate(identity.certPem);
    expect(leaf.subject).toBe(`CN=${guid}`);
    expect(leaf.subjectAltName).toBe(`DNS:${guid}`);
  });

  it("names the files where the executor mounts them", () => {
    expect(instanceIdentityEnv()).toEqual([
      { name: "CF_INSTANCE_CERT", value: "/etc/cf-instance-credentials/instance.crt" },
      { name: "CF_INSTANCE_KEY", value: "/etc/cf-instance-credentials/instance.key" },
    ]);
  });

  it("makes a key ahead only once prepared, and none after an issue (it would hold the exit back)", async () => {
    const ca = await x509Pki.createAuthority({ commonName: "test CA", notAfter: inAYear() });
    const warmed: KeyType[] = [];
    const issuer = caIssuer(countingWarmUps(ca, warmed));
    expect(warmed).toEqual([]);
    issuer.prepare?.();
    expect(warmed).toEqual(["rsa-2048"]);
    const request = { containerGuid: guid, containerIp: "", organizationalUnits: [] };
    await issuer.issue(request);
    await issuer.issue(request);
    expect(warmed).toEqual(["rsa-2048"]);
  });

  it("issues with the keys made ahead while there are any, and makes one ahead only when none is left", async () => {
    const ca = await x509Pki.createAuthority({ commonName: "test CA", notAfter: inAYear() });
    const made = [await x509Pki.generateKeyPem("rsa-2048")];
    const spare = { take: () => Promise.resolve(made.shift()) };
    const warmed: KeyType[] = [];
    const issuer = caIssuer(countingWarmUps(ca, warmed), spare);
    const spareKey = createPrivateKey(made[0] ?? "");
    issuer.prepare?.();
    const request = { containerGuid: guid, containerIp: "", organizationalUnits: [] };
    const first = await issuer.issue(request);
    expect(new X509Certificate(first.certPem).checkPrivateKey(spareKey)).toBe(true);
    expect(warmed).toEqual([]);
    issuer.prepare?.();
    const second = await issuer.issue(request);
    expect(warmed).toEqual(["rsa-2048"]);
    expect(new X509Certificate(second.certPem).checkPrivateKey(spareKey)).toBe(false);
  }, 30_000);

  it("makes a new key when a kept one cannot be read", async () => {
    const ca = await x509Pki.createAuthority({ commonName: "test CA", notAfter: inAYear() });
    const issuer = caIssuer(ca, { take: () => Promise.resolve("damaged") });
    const identity = await issuer.issue({
      containerGuid: guid,
      containerIp: "",
      organizationalUnits: [],
    });
    const leaf = new X509Certificate(identity.certPem);
    expect(leaf.checkPrivateKey(createPrivateKey(identity.keyPem))).toBe(true);
  }, 30_000);
});
