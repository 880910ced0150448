import { createHash, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeCf } from "../../../kit/fake-cf/fake-cf.js";
import { multipartEnvelope } from "../../../kit/fake-cf/multipart-envelope.js";

/** A multipart body the way cc-uploader builds it. */
function multipart(file: Buffer, field = "file") {
  const envelope = multipartEnvelope(field, "droplet.tgz");
  return {
    body: Buffer.concat([envelope.head, file, envelope.tail]),
    contentType: envelope.contentType,
  };
}

const b64 = (algorithm: string, data: Buffer) =>
  createHash(algorithm).update(data).digest("base64");

describe("Cloud Controller internal endpoints", () => {
  let cf: FakeCf;
  const droplet = randomBytes(100_000);

  beforeEach(async () => {
    cf = await FakeCf.start({ bindHost: "127.0.0.1", advertiseHost: "127.0.0.1" });
  });
  afterEach(() => cf.close());

  const post = (path: string, headers: Record<string, string>, field = "file") => {
    const { body, contentType } = multipart(droplet, field);
    return fetch(`${cf.localUrl("cloudController")}${path}`, {
      method: "POST",
      body,
      headers: { "Content-Type": contentType, ...headers },
    });
  };
  const basic = {
    Authorization: `Basic ${Buffer.from("internal_user:internal_password").toString("base64")}`,
  };

  it("requires basic auth on the v2 droplet upload", async () => {
    const res = await post("/staging/droplets/app/upload?async=true", {});
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect(cf.uploadedDroplets()).toEqual([]);
  });

  it("stores a v2 droplet sent as upload[droplet] and answers a queued job that finishes at the first poll", async () => {
    const res = await post(
      "/staging/droplets/app/upload?async=true",
      { ...basic, "Content-MD5": b64("md5", droplet) },
      "upload[droplet]",
    );
    expect(res.status).toBe(200);
    const job = (await res.json()) as { metadata: { url: string }; entity: { status: string } };
    expect(job.entity.status).toBe("queued");
    expect(job.metadata.url).toMatch(/\/staging\/jobs\/[0-9a-f-]{36}$/);
    expect((await fetch(job.metadata.url)).status).toBe(401);
    const polled = await fetch(job.metadata.url, { headers: basic });
    expect(((await polled.json()) as { entity: { status: string } }).entity.status).toBe(
      "finished",
    );
    expect(cf.uploadedDroplets()[0]).toMatchObject({
      guid: "app",
      size: droplet.length,
      contentMd5: b64("md5", droplet),
    });
  });

  it("checks Content-Digest before Content-MD5, as CC does", async () => {
    const wrongMd5 = b64("md5", Buffer.from("other"));
    const digest = `sha-256=:${b64("sha256", droplet)}:`;
    const accepted = await post("/internal/v4/droplets/build/upload", {
      "Content-MD5": wrongMd5,
      "Content-Digest": digest,
    });
    expect(accepted.status).toBe(200);

    const badDigest = `sha-256=:${b64("sha256", Buffer.from("other"))}:`;
    const refused = await post("/internal/v4/droplets/build/upload", {
      "Content-Digest": badDigest,
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error_code: "CF-StagingError",
      description: "Staging error: content digest did not match",
    });
    const malformed = await post("/internal/v4/droplets/build/upload", {
      "Content-Digest": "sha-256=abc",
    });
    expect(await malformed.text()).toContain("invalid content digest header format");
    expect(cf.uploadedDroplets()).toHaveLength(1);
  });

  it("refuses bodies that are not multipart or lack the file part", async () => {
    const raw = await fetch(`${cf.localUrl("cloudController")}/internal/v4/droplets/b/upload`, {
      method: "POST",
      body: droplet,
    });
    expect(raw.status).toBe(400);
    expect((await post("/internal/v4/droplets/b/upload", {}, "other")).status).toBe(400);
    expect(
      (await fetch(`${cf.localUrl("cloudController")}/internal/v4/staging_jobs/nope`)).status,
    ).toBe(404);
  });
});
