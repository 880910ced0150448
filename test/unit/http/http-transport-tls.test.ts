import { createServer as createHttpServer } from "node:http";
import { createServer, type Server, type ServerOptions } from "node:https";
import type { AddressInfo } from "node:net";
import { rootCertificates, type TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../../src/errors.js";
import type { IssuedCertificate } from "../../../src/pki/ports.js";
import { createTestPki, issueClient, type TestPki } from "../../kit/test-pki.js";
import { x509Pki } from "../../../src/x509/x509-pki.js";
import { HttpTransport } from "../../../src/http/http-transport.js";
import { parseResolveSpec } from "../../../src/http/resolve-map.js";
import { TlsError } from "../../../src/http/tls-errors.js";
import { tlsConnectOptions, type TlsSettings } from "../../../src/http/tls-settings.js";

const name = "cc-uploader.service.cf.internal";
const dayMs = 86_400_000;

interface Seen {
  host: string | undefined;
  servername: string | false | null;
  clientCn: string | undefined;
}

describe("HttpTransport over TLS", () => {
  let pki: TestPki;
  let foreign: IssuedCertificate;
  const servers: (Server | ReturnType<typeof createHttpServer>)[] = [];
  const seen: Seen[] = [];
  const ports = { tls: 0, expired: 0, mtls: 0, plain: 0 };

  beforeAll(async () => {
    pki = await createTestPki([]);
    const other = await x509Pki.createAuthority({
      commonName: "another CA",
      notAfter: new Date(Date.now() + dayMs),
    });
    foreign = await issueClient(other, "stranger");
    const expired = await pki.ca.issue({
      commonName: "old",
      dnsNames: [name],
      usage: "server",
      notBefore: new Date(Date.now() - 3 * dayMs),
      notAfter: new Date(Date.now() - dayMs),
    });
    const identity = { key: pki.server.keyPem, cert: pki.server.certPem };
    ports.tls = await listen(identity);
    ports.expired = await listen({ key: expired.keyPem, cert: expired.certPem });
    ports.mtls = await listen({
      ...identity,
      ca: [pki.ca.certPem],
      requestCert: true,
      rejectUnauthorized: true,
    });
    const plain = createHttpServer((_req, res) => res.end("plain"));
    servers.push(plain);
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    ports.plain = (plain.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function listen(options: ServerOptions): Promise<number> {
    const server = createServer(options, (req, res) => {
      const socket = req.socket as TLSSocket;
      const peer = socket.getPeerCertificate();
      seen.push({
        host: req.headers.host,
        servername: socket.servername,
        clientCn: typeof peer.subject?.CN === "string" ? peer.subject.CN : undefined,
      });
      req.resume();
      req.once("end", () => res.end("ok"));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  function settings(extra: Partial<TlsSettings> = {}): TlsSettings {
    return {
      extraCaPems: [pki.ca.certPem],
      caSource: "--cacert ca.crt",
      insecure: false,
      ...extra,
    };
  }

  function cell(identity: IssuedCertificate = pki.cell): TlsSettings["client"] {
    return { certPem: identity.certPem, keyPem: identity.keyPem, source: "--cert cell.crt" };
  }

  /** GETs (or POSTs) `https://<host>:<port>/x` through `--resolve host=127.0.0.1`. */
  async function fetchVia(
    tls: TlsSettings,
    { host = name, port, post = false }: { host?: string; port: number; post?: boolean },
  ): Promise<{ status: number; text: string }> {
    const transport = new HttpTransport({
      tls,
      resolveMap: [parseResolveSpec(`${host}=127.0.0.1`)],
    });
    try {
      const body = post ? Buffer.alloc(64 * 1024, 1) : undefined;
      const response = await transport.send({
        method: post ? "POST" : "GET",
        url: `https://${host}:${port}/x`,
        body,
        headers: body ? { "content-length": String(body.length) } : {},
      });
      let text = "";
      for await (const chunk of response.body) text += String(chunk);
      return { status: response.status, text };
    } finally {
      await transport.close();
    }
  }

  async function failure(
    tls: TlsSettings,
    target: { host?: string; port: number; post?: boolean },
  ): Promise<TlsError> {
    const error: unknown = await fetchVia(tls, target).then(
      () => new Error("the request succeeded"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TlsError);
    expect((error as TlsError).exitCode).toBe(ExitCode.unavailable);
    expect((error as TlsError).hint).toBeUndefined();
    return error as TlsError;
  }

  it("keeps the URL's name for SNI, Host and verification through --resolve, like curl", async () => {
    expect(await fetchVia(settings(), { port: ports.tls })).toEqual({ status: 200, text: "ok" });
    expect(seen.at(-1)).toMatchObject({ host: `${name}:${ports.tls}`, servername: name });
  });

  it("adds --cacert to the default CAs instead of replacing them", () => {
    const options = tlsConnectOptions(settings());
    expect(options.ca).toEqual([...rootCertificates, pki.ca.certPem]);
    expect(tlsConnectOptions(settings({ extraCaPems: [] })).ca).toBeUndefined();
  });

  it("names the host and --cacert when the CA is unknown", async () => {
    const error = await failure(settings({ extraCaPems: [], caSource: undefined }), {
      port: ports.tls,
    });
    expect(error.kind).toBe("unknown-ca");
    expect(error.message).toBe(
      `TLS: the certificate of ${name}:${ports.tls} is signed by an unknown CA (unable to verify the first certificate); pass the platform's CA with --cacert FILE`,
    );
  });

  it("says which CAs were given when none of them signed the certificate", async () => {
    const other = await x509Pki.createAuthority({
      commonName: "unrelated",
      notAfter: new Date(Date.now() + dayMs),
    });
    const error = await failure(settings({ extraCaPems: [other.certPem] }), { port: ports.tls });
    expect(error.message).toContain("; the CAs from --cacert ca.crt do not include it)");
  });

  it("names the names the certificate has when the host is not one of them", async () => {
    const error = await failure(settings(), { host: "uaa.service.cf.internal", port: ports.tls });
    expect(error.kind).toBe("host-mismatch");
    expect(error.message).toBe(
      `TLS: the certificate of uaa.service.cf.internal:${ports.tls} is not valid for uaa.service.cf.internal (it names DNS:file-server.service.cf.internal, DNS:blobstore.service.cf.internal, DNS:cc-uploader.service.cf.internal, DNS:cloud-controller-ng.service.cf.internal, DNS:stager.service.cf.internal, DNS:fake-cf.service.cf.internal, IP:127.0.0.1); check that --resolve sends uaa.service.cf.internal to the right server, or pass --insecure to skip verification`,
    );
  });

  it("says the server certificate expired", async () => {
    const error = await failure(settings(), { port: ports.expired });
    expect(error.message).toBe(
      `TLS: the certificate of ${name}:${ports.expired} has expired; renew it on the server, or pass --insecure to skip verification`,
    );
  });

  it.each([false, true])(
    "asks for --cert/--key when the server requires a client certificate (POST: %s)",
    async (post) => {
      const error = await failure(settings(), { port: ports.mtls, post });
      expect(error.kind).toBe("client-cert-required");
      expect(error.message).toBe(
        `TLS: ${name}:${ports.mtls} requires a client certificate and none was given (alert certificate required); pass one with --cert FILE --key FILE`,
      );
    },
  );

  it("says the client certificate was refused, naming where it came from", async () => {
    for (const identity of [foreign, await issueClient(pki.ca, "old", { expired: true })]) {
      const error = await failure(settings({ client: cell(identity) }), { port: ports.mtls });
      expect(error.kind).toBe("client-cert-refused");
      expect(error.message).toBe(
        `TLS: ${name}:${ports.mtls} refused the client certificate from --cert cell.crt (it closed the connection during the handshake); pass one its CA signed, still valid, with --cert FILE --key FILE`,
      );
    }
  });

  it("presents the client certificate to a server that asks for one", async () => {
    const answer = await fetchVia(settings({ client: cell() }), { port: ports.mtls, post: true });
    expect(answer).toEqual({ status: 200, text: "ok" });
    expect(seen.at(-1)?.clientCn).toBe("cell.service.cf.internal");
  });

  it("skips server verification with --insecure but still presents the client certificate", async () => {
    const insecure = settings({ extraCaPems: [], insecure: true, client: cell() });
    expect((await fetchVia(insecure, { port: ports.expired })).status).toBe(200);
    expect((await fetchVia(insecure, { port: ports.mtls })).status).toBe(200);
    expect(seen.at(-1)?.clientCn).toBe("cell.service.cf.internal");
  });

  it("says so when an https URL reaches a plain HTTP server", async () => {
    const error = await failure(settings(), { port: ports.plain });
    expect(error.kind).toBe("not-tls");
    expect(error.message).toBe(
      `TLS: ${name}:${ports.plain} does not speak TLS on this port (its answer is not a TLS handshake: plain HTTP?); check the URL's port or the address --resolve gives`,
    );
  });
});
