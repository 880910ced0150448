import { X509Certificate } from "node:crypto";
import { once } from "node:events";
import { connect, createServer, type TLSSocket } from "node:tls";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/errors.js";
import { x509Pki } from "../../../src/x509/x509-pki.js";

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
});
