import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeCf } from "../../../kit/fake-cf/fake-cf.js";
import { ScratchDir } from "../../../kit/fake-cf/scratch-dir.js";
import type { StoredBlob } from "../../../kit/fake-cf/blobstore.js";

describe("blobstore", () => {
  let cf: FakeCf;
  let scratch: ScratchDir;
  let blob: StoredBlob;

  beforeEach(async () => {
    cf = await FakeCf.start({ bindHost: "127.0.0.1", advertiseHost: "127.0.0.1" });
    scratch = await ScratchDir.create();
    blob = await cf.blobstore.add(
      "cc-packages/ab/cd/app-guid",
      await scratch.file("app.zip", "PK app bits"),
    );
  });
  afterEach(async () => {
    await cf.close();
    await scratch[Symbol.asyncDispose]();
  });

  it("serves a blob for a valid signed URL, with nginx-style validators", async () => {
    const url = new URL(blob.signedUrl());
    expect([...url.searchParams.keys()]).toEqual(["md5", "expires", "signature"]);
    expect(url.searchParams.get("md5")).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("PK app bits");
    expect(res.headers.get("content-length")).toBe("11");
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]+-b"$/);

    const again = await fetch(url, { headers: { "If-None-Match": res.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
  });

  it("keeps a signed URL valid when only its host is rewritten", async () => {
    const signed = new URL(blob.signedUrl({ host: "blobstore.service.cf.internal" }));
    const local = new URL(cf.localUrl("blobstore"));
    signed.host = local.host;
    expect((await fetch(signed)).status).toBe(200);
  });

  it("refuses tampered, unsigned and expired URLs with 403 and an S3-style body", async () => {
    const tampered = new URL(blob.signedUrl());
    tampered.searchParams.set("expires", String(Number(tampered.searchParams.get("expires")) + 60));
    const otherPath = blob.signedUrl().replace("/app-guid?", "/other-guid?");
    const expired = blob.signedUrl({ expires: Math.floor(Date.now() / 1000) - 10 });

    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect((await fetch(blob.signedUrl().split("?")[0] ?? "")).status).toBe(403);
    expect((await fetch(otherPath)).status).toBe(404);
    const late = await fetch(expired);
    expect(late.status).toBe(403);
    expect(await late.text()).toMatch(
      /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/,
    );
  });

  it("rejects keys outside the CC buckets", async () => {
    await expect(cf.blobstore.add("elsewhere/x", await scratch.file("x", "x"))).rejects.toThrow(
      /cc-packages/,
    );
  });

  it("serves the build artifacts cache only with basic auth, 404 before the first upload", async () => {
    const withAuth = new URL(cf.blobstore.buildCacheUrl("app-guid", "127.0.0.1"));
    expect(withAuth.username).toBe("internal_user");
    const url = `${cf.localUrl("blobstore")}${withAuth.pathname}`;
    const auth = `Basic ${Buffer.from("internal_user:internal_password").toString("base64")}`;

    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: auth } })).status).toBe(404);
  });
});
