import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeCf } from "../../../kit/fake-cf/fake-cf.js";
import { ScratchDir } from "../../../kit/fake-cf/scratch-dir.js";

const LIFECYCLE = "buildpack_app_lifecycle/buildpack_app_lifecycle.tgz";

describe("file server", () => {
  let cf: FakeCf;
  let scratch: ScratchDir;
  const content = randomBytes(200_000);

  beforeEach(async () => {
    cf = await FakeCf.start({ bindHost: "127.0.0.1", advertiseHost: "127.0.0.1" });
    scratch = await ScratchDir.create();
    await cf.fileServer.add(LIFECYCLE, await scratch.file("lifecycle.tgz", content));
  });
  afterEach(async () => {
    await cf.close();
    await scratch[Symbol.asyncDispose]();
  });

  const url = () => `${cf.localUrl("fileServer")}/v1/static/${LIFECYCLE}`;

  it("serves the blob with validators and an opaque (non-MD5) ETag", async () => {
    const res = await fetch(url());
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(content)).toBe(true);
    expect(res.headers.get("content-length")).toBe(String(content.length));
    const etag = res.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"lc-[0-9a-f]+"$/);
    expect(etag.replaceAll('"', "")).not.toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(res.headers.get("last-modified") ?? "")).not.toBeNaN();
  });

  it("answers 304 to If-None-Match and If-Modified-Since, and counts them", async () => {
    const first = await fetch(url());
    await first.arrayBuffer();
    const etag = first.headers.get("etag") ?? "";
    const lastModified = first.headers.get("last-modified") ?? "";

    const byEtag = await fetch(url(), { headers: { "If-None-Match": etag } });
    const byDate = await fetch(url(), { headers: { "If-Modified-Since": lastModified } });
    const stale = await fetch(url(), { headers: { "If-None-Match": '"something-else"' } });
    await stale.arrayBuffer();

    expect([byEtag.status, byDate.status, stale.status]).toEqual([304, 304, 200]);
    expect(byEtag.headers.get("etag")).toBe(etag);
    expect(cf.count304()).toBe(2);
    expect(cf.count304("blobstore")).toBe(0);
    expect(cf.requestsTo("fileServer", "/v1/static/").map((r) => r.status)).toEqual([
      200, 304, 304, 200,
    ]);
  });

  it("answers HEAD with headers only, and 404 for unknown paths", async () => {
    const head = await fetch(url(), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(content.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    expect((await fetch(`${cf.localUrl("fileServer")}/v1/static/nope.tgz`)).status).toBe(404);
  });

  it("gives container URLs on the advertised host", () => {
    const fake = cf.urlFor("fileServer", "172.17.0.1");
    expect(fake).toMatch(/^http:\/\/172\.17\.0\.1:\d+$/);
    expect(cf.endpoints("10.0.0.1").fileServer).toMatch(/^http:\/\/10\.0\.0\.1:\d+$/);
  });
});
