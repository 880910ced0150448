import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { createHttpClients } from "../../../src/http/http-clients.js";

describe("createHttpClients", () => {
  it("routes downloads and uploads through the --resolve map", async () => {
    const hosts: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      hosts.push(req.headers.host);
      req.resume();
      req.on("end", () => res.writeHead(req.method === "POST" ? 201 : 200).end("ok"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const cacheDir = await mkdtemp(join(tmpdir(), "restager-clients-test-"));
    const clients = createHttpClients({ cacheDir, resolve: [`*.cf.internal=127.0.0.1:${port}`] });
    try {
      const file = await clients.downloader.download({
        url: "http://fs.cf.internal/x",
        cacheKey: "",
      });
      await file.release();
      const result = await clients.uploader.upload({
        url: "http://up.cf.internal:9090/v1/droplet/g",
        body: () => Readable.from([Buffer.from("ok")]),
        sizeBytes: 2,
        md5Base64: "",
        sha256Base64: "",
      });
      expect(result).toEqual({ status: 201, attempts: 1 });
      expect(hosts).toEqual(["fs.cf.internal", "up.cf.internal:9090"]);
    } finally {
      await clients.close();
      server.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  it("skips uploads with upload: false", async () => {
    const clients = createHttpClients({ cacheDir: tmpdir(), upload: false });
    const result = await clients.uploader.upload({
      url: "http://127.0.0.1:1/never",
      body: () => Readable.from([]),
      sizeBytes: 0,
      md5Base64: "",
      sha256Base64: "",
    });
    expect(result).toEqual({ status: 0, attempts: 0, skipped: true });
    await clients.close();
  });

  it("rejects an invalid --resolve value", () => {
    expect(() => createHttpClients({ cacheDir: tmpdir(), resolve: ["nonsense"] })).toThrow(
      UsageError,
    );
  });
});
