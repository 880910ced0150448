import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type Server as HttpServer,
} from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpTransport } from "./http-transport.js";
import { parseResolveSpec } from "./resolve-map.js";

const hasOpenssl = existsSync("/usr/bin/openssl");
const hostName = "cc-uploader.service.cf.internal";

describe.skipIf(!hasOpenssl)("HttpTransport over TLS with --resolve", () => {
  let dir: string;
  let server: Server;
  let port: number;
  let cert: Buffer;
  const seen: { headers: IncomingHttpHeaders; servername: string | false | null }[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "restager-tls-test-"));
    const key = join(dir, "key.pem");
    const crt = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"],
        ...["-keyout", key, "-out", crt, "-subj", `/CN=${hostName}`],
        ...["-addext", `subjectAltName=DNS:${hostName}`],
      ],
      { stdio: "ignore" },
    );
    cert = await readFile(crt);
    server = createServer({ key: await readFile(key), cert }, (req, res) => {
      seen.push({ headers: req.headers, servername: (req.socket as TLSSocket).servername });
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("presents the original name as SNI and Host, so the certificate verifies", async () => {
    const transport = new HttpTransport({
      resolveMap: [parseResolveSpec(`${hostName}=127.0.0.1:${port}`)],
      tls: { ca: cert },
    });
    try {
      const response = await transport.send({ method: "GET", url: `https://${hostName}/v1/ping` });
      response.body.resume();
      expect(response.status).toBe(200);
      expect(seen.at(-1)).toEqual({
        headers: expect.objectContaining({ host: hostName }) as unknown,
        servername: hostName,
      });
    } finally {
      await transport.close();
    }
  });

  it("fails verification without the resolve map's name (connecting by IP)", async () => {
    const transport = new HttpTransport({ tls: { ca: cert } });
    try {
      await expect(
        transport.send({ method: "GET", url: `https://127.0.0.1:${port}/v1/ping` }),
      ).rejects.toThrow();
    } finally {
      await transport.close();
    }
  });
});

describe("HttpTransport redirects", () => {
  it("drops Authorization on a cross-origin redirect and stops after 10 hops", async () => {
    const seen: { url: string; auth: string | undefined }[] = [];
    const other = createHttpServer((req, res) => {
      seen.push({ url: `other${req.url}`, auth: req.headers.authorization });
      res.end("blob");
    });
    const origin = createHttpServer((req, res) => {
      seen.push({ url: req.url ?? "", auth: req.headers.authorization });
      const location = req.url?.startsWith("/loop")
        ? "/loop"
        : `http://127.0.0.1:${portOf(other)}/blob`;
      res.writeHead(302, { location }).end();
    });
    await Promise.all([listen(other), listen(origin)]);
    const transport = new HttpTransport();
    try {
      const base = `http://u:p@127.0.0.1:${portOf(origin)}`;
      const response = await transport.send({
        method: "GET",
        url: `${base}/d`,
        followRedirects: true,
      });
      expect(await readAll(response.body)).toBe("blob");
      expect(seen[0]?.auth).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
      expect(seen[1]).toEqual({ url: "other/blob", auth: undefined });
      const loop = transport.send({
        method: "GET",
        url: `${base}/loop?sig=x`,
        followRedirects: true,
      });
      await expect(loop).rejects.toThrow(
        `Too many redirects for http://***@127.0.0.1:${portOf(origin)}/loop?…`,
      );
    } finally {
      await transport.close();
      for (const server of [origin, other]) {
        server.closeAllConnections();
        server.close();
      }
    }
  });
});

function portOf(server: HttpServer): number {
  return (server.address() as AddressInfo).port;
}

function listen(server: HttpServer): Promise<void> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
}

async function readAll(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}
