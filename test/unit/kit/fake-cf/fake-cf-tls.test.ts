/**
 * The fake Cloud Foundry in TLS mode, as a current platform: HTTPS with the platform's CA for
 * the file server and blobstore; cc-uploader and Cloud Controller refuse, at the handshake,
 * any client without a certificate of that CA; cc-uploader talks to CC with its own identity
 * and still holds the upload until CC's job finished.
 */
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpTransport } from "../../../../src/http/http-transport.js";
import { TlsError } from "../../../../src/http/tls-errors.js";
import type { TlsSettings } from "../../../../src/http/tls-settings.js";
import { FakeCf } from "../../../kit/fake-cf/fake-cf.js";

describe("FakeCf in TLS mode", { timeout: 30_000 }, () => {
  let cf: FakeCf;
  let trusted: TlsSettings;
  let cell: TlsSettings;

  beforeAll(async () => {
    cf = await FakeCf.start({
      bindHost: "127.0.0.1",
      advertiseHost: "127.0.0.1",
      jobPollIntervalMs: 10,
      tls: true,
    });
    const tls = cf.tls;
    if (tls === undefined) throw new Error("no PKI in TLS mode");
    trusted = { extraCaPems: [tls.caPem], insecure: false };
    const identity = { certPem: tls.cell.certPem, keyPem: tls.cell.keyPem, source: "--cert cell" };
    cell = { ...trusted, client: identity };
  });
  afterAll(() => cf.close());

  async function send(settings: TlsSettings, url: string, body?: Buffer) {
    const transport = new HttpTransport({ tls: settings });
    try {
      const headers: Record<string, string> = body
        ? {
            "content-type": "application/octet-stream",
            "content-length": String(body.length),
            "content-md5": createHash("md5").update(body).digest("base64"),
          }
        : {};
      const method = body ? "POST" : "GET";
      const response = await transport.send({ method, url, body, headers });
      response.body.resume();
      return response.status;
    } finally {
      await transport.close();
    }
  }

  it("serves every endpoint over https", () => {
    for (const url of Object.values(cf.endpoints()).filter((v) => typeof v === "string")) {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it("serves the file server and blobstore with the platform CA, without a client certificate", async () => {
    expect(await send(trusted, `${cf.localUrl("fileServer")}/v1/static/none`)).toBe(404);
    expect(await send(trusted, `${cf.localUrl("blobstore")}/read/none`)).toBeGreaterThan(399);
    await expect(
      send({ ...trusted, extraCaPems: [] }, `${cf.localUrl("fileServer")}/x`),
    ).rejects.toThrow(/signed by an unknown CA/);
  });

  it.each(["ccUploader", "cloudController"] as const)(
    "%s refuses a client without a certificate at the handshake",
    async (server) => {
      const before = cf.requestsTo(server).length;
      const refused = send(trusted, `${cf.localUrl(server)}/v1/droplet/g`);
      await expect(refused).rejects.toBeInstanceOf(TlsError);
      await expect(refused).rejects.toMatchObject({ kind: "client-cert-required" });
      expect(cf.requestsTo(server)).toHaveLength(before);
    },
  );

  it("cc-uploader forwards over mutual TLS and answers 201 only after CC's job finished", async () => {
    const body = randomBytes(50_000);
    const ccUri = `${cf.localUrl("cloudController")}/internal/v4/droplets/build-guid/upload`;
    const query = new URLSearchParams({ "cc-droplet-upload-uri": ccUri, timeout: "60" });
    const status = await send(
      cell,
      `${cf.localUrl("ccUploader")}/v1/droplet/build-guid?${query.toString()}`,
      body,
    );
    expect(status).toBe(201);
    expect(cf.uploadedDroplets().map((d) => d.size)).toEqual([body.length]);
    const polls = cf.requestsTo("cloudController", "/internal/v4/staging_jobs/");
    expect(polls.map((p) => p.status)).toEqual([200]);
  });
});
