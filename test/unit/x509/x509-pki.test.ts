import { execFile } from "node:child_process";
import { X509Certificate, createPrivateKey, generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { connect, createServer, type TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/errors.js";
import { certificateParts } from "../../../src/x509/certificate.js";
import { readElement, readElements } from "../../../src/x509/der.js";
import { x509Pki } from "../../../src/x509/x509-pki.js";

const run = promisify(execFile);

const inADay = () => new Date(Date.now() + 86_400_000);

describe("x509Pki", () => {
  it("issues leaves whose subject, SANs and issuer Node's X509Certificate reads back", async () => {
    const ca = await x509Pki.createAuthority({
      commonName: "restager test CA",
      notAfter: inADay(),
    });
    const leaf = await ca.issue({
      commonName: "6f1d0b5e-7a3c-4b1e-9c2d-0e1f",
      organizationalUnits: ["organization:o-1", "space:s-1", "app:a-1"],
      dnsNames: ["6f1d0b5e-7a3c-4b1e-9c2d-0e1f"],
      ipAddresses: ["172.17.0.5"],
      notAfter: inADay(),
    });
    const cert = new X509Certificate(leaf.certPem);
    const caCert = new X509Certificate(ca.certPem);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.subject.split("\n")).toEqual([
      "OU=organization:o-1",
      "OU=space:s-1",
      "OU=app:a-1",
      "CN=6f1d0b5e-7a3c-4b1e-9c2d-0e1f",
    ]);
    expect(cert.subjectAltName).toBe("DNS:6f1d0b5e-7a3c-4b1e-9c2d-0e1f, IP Address:172.17.0.5");
    expect(cert.checkPrivateKey((await import("node:crypto")).createPrivateKey(leaf.keyPem))).toBe(
      true,
    );
  });

  it("issues with a key made ahead by warmUp once, then with fresh keys again", async () => {
    const ca = await x509Pki.createAuthority({
      commonName: "restager test CA",
      notAfter: inADay(),
    });
    const { createPrivateKey } = await import("node:crypto");
    ca.warmUp("rsa-2048");
    ca.warmUp("rsa-2048");
    const request = { commonName: "c", keyType: "rsa-2048" as const, notAfter: inADay() };
    const first = await ca.issue(request);
    const second = await ca.issue(request);
    expect(first.keyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(second.keyPem).not.toBe(first.keyPem);
    for (const leaf of [first, second]) {
      const cert = new X509Certificate(leaf.certPem);
      expect(cert.checkPrivateKey(createPrivateKey(leaf.keyPem))).toBe(true);
    }
    // A key made ahead for one type is not used for another.
    ca.warmUp("rsa-2048");
    const ecdsa = await ca.issue({ commonName: "e", notAfter: inADay() });
    expect(createPrivateKey(ecdsa.keyPem).asymmetricKeyType).toBe("ec");
    // Three RSA keys: seconds of CPU on a busy 2-core machine.
  }, 30_000);

  it("issues with a key made ahead by generateKeyPem, and refuses one of another type", async () => {
    const ca = await x509Pki.createAuthority({
      commonName: "restager test CA",
      notAfter: inADay(),
    });
    const keyPem = await x509Pki.generateKeyPem("rsa-2048");
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const request = { commonName: "c", keyType: "rsa-2048" as const, notAfter: inADay() };
    const leaf = await ca.issue({ ...request, keyPem });
    const key = createPrivateKey(keyPem);
    expect(new X509Certificate(leaf.certPem).checkPrivateKey(key)).toBe(true);
    // Written as the leaf's format asks (PKCS#1 for RSA), the same key.
    expect(leaf.keyPem).toBe(key.export({ type: "pkcs1", format: "pem" }).toString());
    const ecdsaPem = await x509Pki.generateKeyPem("ecdsa-p256");
    await expect(ca.issue({ ...request, keyPem: ecdsaPem })).rejects.toThrow(InvalidInputError);
    await expect(ca.issue({ ...request, keyPem: "not a key" })).rejects.toThrow(InvalidInputError);
  }, 30_000);

  it("makes certificates a real mutual-TLS handshake accepts", async () => {
    const ca = await x509Pki.createAuthority({ commonName: "test CA", notAfter: inADay() });
    const server = await ca.issue({
      commonName: "localhost",
      dnsNames: ["localhost"],
      ipAddresses: ["127.0.0.1"],
      usage: "server",
      notAfter: inADay(),
    });
    const client = await ca.issue({ commonName: "client", usage: "client", notAfter: inADay() });
    const tlsServer = createServer(
      {
        cert: server.certPem,
        key: server.keyPem,
        ca: ca.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (socket: TLSSocket) => socket.end(String(socket.getPeerCertificate().subject?.CN ?? "?")),
    );
    tlsServer.listen(0, "127.0.0.1");
    await once(tlsServer, "listening");
    const address = tlsServer.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    try {
      const socket = connect({
        host: "127.0.0.1",
        port: address.port,
        servername: "localhost",
        ca: ca.certPem,
        cert: client.certPem,
        key: client.keyPem,
      });
      let text = "";
      socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
      await once(socket, "end");
      expect(text).toBe("client");
    } finally {
      tlsServer.close();
    }
  });

  it("loads a CA it created, and refuses a leaf as a CA", async () => {
    const ca = await x509Pki.createAuthority({ commonName: "test CA", notAfter: inADay() });
    const loaded = await x509Pki.loadAuthority({ certPem: ca.certPem, keyPem: ca.keyPem });
    const leaf = await loaded.issue({ commonName: "x", notAfter: inADay() });
    expect(new X509Certificate(leaf.certPem).checkIssued(new X509Certificate(ca.certPem))).toBe(
      true,
    );
    await expect(x509Pki.loadAuthority(leaf)).rejects.toThrow(InvalidInputError);
    await expect(x509Pki.loadAuthority({ certPem: "junk", keyPem: "junk" })).rejects.toThrow(
      /cannot be read/,
    );
  });

  it("refuses a CA key that is not the CA certificate's", async () => {
    const ca = await x509Pki.createAuthority({ commonName: "test CA", notAfter: inADay() });
    const other = await x509Pki.createAuthority({ commonName: "test CA", notAfter: inADay() });
    const rsa = await x509Pki.createAuthority({
      commonName: "rsa CA",
      notAfter: inADay(),
      keyType: "rsa-2048",
    });
    for (const keyPem of [other.keyPem, rsa.keyPem]) {
      const refused = x509Pki.loadAuthority({ certPem: ca.certPem, keyPem });
      await expect(refused).rejects.toThrow(InvalidInputError);
      await expect(refused).rejects.toThrow("the CA certificate or key cannot be read");
    }
  });
});

/** The TBSCertificate fields of a PEM certificate, in order. */
function tbsFields(pem: string) {
  const [tbs] = readElements(readElement(new X509Certificate(pem).raw).content);
  return readElements(tbs?.content ?? Buffer.alloc(0));
}

describe("x509Pki, checked by OpenSSL and Node", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "restager-x509-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(["ecdsa-p256", "rsa-2048"] as const)(
    "makes a %s CA and leaves that openssl verifies and prints as asked",
    async (keyType) => {
      const ca = await x509Pki.createAuthority({ commonName: "x CA", notAfter: inADay(), keyType });
      const leaf = await ca.issue({
        commonName: "guid-1",
        organizationalUnits: ["organization:o", "space:s", "app:a_b"],
        organizationalUnitRdn: "shared",
        dnsNames: ["guid-1", "h.example"],
        ipAddresses: ["10.0.0.7", "fd00::7", "::ffff:10.0.0.1"],
        keyUsages: ["digitalSignature", "keyEncipherment", "keyAgreement"],
        keyType: "rsa-2048",
        notAfter: inADay(),
      });
      await writeFile(join(dir, "ca.pem"), ca.certPem);
      await writeFile(join(dir, "leaf.pem"), leaf.certPem);
      const verified = await run("openssl", ["verify", "-CAfile", "ca.pem", "leaf.pem"], {
        cwd: dir,
      });
      expect(verified.stdout).toBe("leaf.pem: OK\n");
      const text = (
        await run("openssl", ["x509", "-in", "leaf.pem", "-text", "-noout"], { cwd: dir })
      ).stdout;
      const caText = (
        await run("openssl", ["x509", "-in", "ca.pem", "-text", "-noout"], { cwd: dir })
      ).stdout;
      const signature = keyType === "rsa-2048" ? "sha256WithRSAEncryption" : "ecdsa-with-SHA256";
      expect(text).toContain(`Signature Algorithm: ${signature}`);
      expect(text).toContain("Version: 3 (0x2)");
      expect(text).toContain("Issuer: CN = x CA");
      // openssl prints a multi-valued RDN's members in the order they are encoded: by length,
      // then (equal lengths) UTF8String (0x0c) before PrintableString (0x13).
      expect(text).toContain(
        "Subject: OU = app:a_b + OU = space:s + OU = organization:o, CN = guid-1",
      );
      expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
      expect(text).toMatch(
        /X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment, Key Agreement/,
      );
      expect(text).toMatch(
        /X509v3 Extended Key Usage: ?\s+TLS Web Client Authentication, TLS Web Server Authentication/,
      );
      expect(text).toContain(
        "DNS:guid-1, DNS:h.example, IP Address:10.0.0.7, IP Address:FD00:0:0:0:0:0:0:7, IP Address:0:0:0:0:0:FFFF:A00:1",
      );
      expect(text).toContain("Public-Key: (2048 bit)");
      expect(caText).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
      expect(caText).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
      const caKeyId = /Subject Key Identifier: ?\s+([0-9A-F:]+)/.exec(caText)?.[1];
      expect(caKeyId).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
      expect(/Authority Key Identifier: ?\s+(?:keyid:)?([0-9A-F:]+)/.exec(text)?.[1]).toBe(caKeyId);

      const cert = new X509Certificate(leaf.certPem);
      const caCert = new X509Certificate(ca.certPem);
      expect([caCert.ca, cert.ca]).toEqual([true, false]);
      expect(cert.checkIssued(caCert)).toBe(true);
      expect(cert.verify(caCert.publicKey)).toBe(true);
      expect(cert.subjectAltName).toBe(
        "DNS:guid-1, DNS:h.example, IP Address:10.0.0.7, IP Address:FD00:0:0:0:0:0:0:7, IP Address:0:0:0:0:0:FFFF:A00:1",
      );
      expect(cert.checkPrivateKey(createPrivateKey(leaf.keyPem))).toBe(true);
      // Names as Go writes them: PrintableString, UTF8String where a character is outside its set.
      const subject = tbsFields(leaf.certPem)[5]?.der.toString("latin1") ?? "";
      expect(subject).toContain("\x13\x0eorganization:o");
      expect(subject).toContain("\x0c\x07app:a_b");
      // A positive serial of at most 16 bytes, minimally encoded.
      const serial = tbsFields(leaf.certPem)[1]?.content ?? Buffer.alloc(0);
      expect(serial.length).toBeLessThanOrEqual(17);
      expect((serial[0] ?? 0) & 0x80).toBe(0);
      if (serial.length > 1) expect(serial[0] === 0 && ((serial[1] ?? 0) & 0x80) === 0).toBe(false);
    },
    30_000,
  );

  it("signs with a CA made by openssl: the issuer is the CA's subject byte for byte", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    await writeFile(join(dir, "ossl.key"), privateKey.export({ type: "pkcs8", format: "pem" }));
    await run(
      "openssl",
      [
        "req",
        "-x509",
        "-new",
        "-key",
        "ossl.key",
        "-subj",
        "/O=ex_ample/CN=CA é",
        "-days",
        "1",
        "-out",
        "ossl.pem",
      ],
      { cwd: dir },
    );
    const certPem = (await run("cat", ["ossl.pem"], { cwd: dir })).stdout;
    const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const ca = await x509Pki.loadAuthority({ certPem, keyPem });
    const leaf = await ca.issue({ commonName: "x", usage: "server", notAfter: inADay() });
    const caSubject = certificateParts(new X509Certificate(certPem).raw).subject;
    expect(tbsFields(leaf.certPem)[3]?.der).toEqual(caSubject);
    await writeFile(join(dir, "ossl-leaf.pem"), leaf.certPem);
    const verified = await run("openssl", ["verify", "-CAfile", "ossl.pem", "ossl-leaf.pem"], {
      cwd: dir,
    });
    expect(verified.stdout).toBe("ossl-leaf.pem: OK\n");
    // The authority key identifier is the one the CA certificate carries.
    const text = (
      await run(
        "openssl",
        [
          "x509",
          "-in",
          "ossl-leaf.pem",
          "-noout",
          "-ext",
          "authorityKeyIdentifier,extendedKeyUsage",
        ],
        { cwd: dir },
      )
    ).stdout;
    const caText = (
      await run("openssl", ["x509", "-in", "ossl.pem", "-noout", "-ext", "subjectKeyIdentifier"], {
        cwd: dir,
      })
    ).stdout;
    const caKeyId = /([0-9A-F]{2}(:[0-9A-F]{2}){19})/.exec(caText)?.[1];
    expect(caKeyId).toBeDefined();
    expect(text).toContain(caKeyId);
    expect(text).toContain("TLS Web Server Authentication");
    expect(text).not.toContain("Client");
  });
});
