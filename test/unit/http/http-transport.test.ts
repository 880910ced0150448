import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { HttpTransport } from "../../../src/http/http-transport.js";

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
