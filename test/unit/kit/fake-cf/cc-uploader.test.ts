import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeCf } from "../../../kit/fake-cf/fake-cf.js";

function uploadHeaders(body: Buffer): Record<string, string> {
  return {
    "Content-Type": "application/octet-stream",
    "Content-MD5": createHash("md5").update(body).digest("base64"),
    "Content-Digest": `sha-256=:${createHash("sha256").update(body).digest("base64")}:`,
  };
}

describe("cc-uploader and Cloud Controller uploads", () => {
  let cf: FakeCf;
  const body = randomBytes(300_000);

  beforeEach(async () => {
    cf = await FakeCf.start({
      bindHost: "127.0.0.1",
      advertiseHost: "127.0.0.1",
      jobPollIntervalMs: 10,
    });
  });
  afterEach(() => cf.close());

  const cc = (userinfo = "internal_user:internal_password@") =>
    cf.localUrl("cloudController").replace("http://", `http://${userinfo}`);
  const uploaderUrl = (
    kind: "droplet" | "build_artifacts",
    guid: string,
    query: Record<string, string>,
  ) => `${cf.localUrl("ccUploader")}/v1/${kind}/${guid}?${new URLSearchParams(query).toString()}`;
  const dropletUrl = (ccUri = `${cc()}/staging/droplets/app-guid/upload`) =>
    uploaderUrl("droplet", "app-guid", { "cc-droplet-upload-uri": ccUri, timeout: "60" });
  const post = (url: string, payload: Buffer, headers = uploadHeaders(payload)) =>
    fetch(url, { method: "POST", body: payload, headers });

  it("forwards a droplet as multipart to CC, polls the job, answers 201 and stores the bytes", async () => {
    const res = await post(dropletUrl(), body);
    expect(res.status).toBe(201);

    const [droplet, ...others] = cf.uploadedDroplets();
    expect(others).toEqual([]);
    expect(droplet).toMatchObject({
      guid: "app-guid",
      size: body.length,
      md5: createHash("md5").update(body).digest("hex"),
      filename: "droplet.tgz",
      endpoint: "/staging/droplets/app-guid/upload",
    });
    expect((await readFile(droplet?.filePath ?? "")).equals(body)).toBe(true);

    const [upload] = cf.requestsTo("cloudController", "/staging/droplets/");
    expect(upload?.query.async).toBe("true");
    expect(upload?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload?.headers["content-md5"]).toBe(uploadHeaders(body)["Content-MD5"]);
    expect(upload?.headers.authorization).toMatch(/^Basic /);
    expect(cf.requestsTo("cloudController", "/staging/jobs/").map((r) => r.status)).toEqual([200]);
  });

  it("serves the uploaded droplet back from the blobstore and CC's v2 download", async () => {
    await post(dropletUrl(`${cc("")}/internal/v4/droplets/build-guid/upload`), body);
    const sha256 = createHash("sha256").update(body).digest("hex");
    const permalink = (checksum: string) =>
      `${cf.localUrl("cloudController")}/internal/v2/droplets/build-guid/${checksum}/download`;
    const fromCc = await fetch(permalink(sha256));
    expect(Buffer.from(await fromCc.arrayBuffer()).equals(body)).toBe(true);
    // As Cloud Controller: a checksum other than the current droplet's is 404 NotFound.
    const stale = await fetch(permalink("abc"));
    expect(stale.status).toBe(404);
    expect(await stale.json()).toMatchObject({ error_code: "CF-NotFound" });
    const blob = cf.blobstore.get("cc-droplets/build-guid");
    const fromBlobstore = await fetch(blob?.signedUrl({ host: "127.0.0.1" }) ?? "");
    expect(fromBlobstore.status).toBe(200);
    expect(cf.requestsTo("cloudController", "/internal/v4/staging_jobs/")).toHaveLength(1);
  });

  it("uploads build artifacts without async or polling, answering 200", async () => {
    const ccUri = `${cc("")}/internal/v4/buildpack_cache/cflinuxfs4/app-guid/upload`;
    const res = await post(
      uploaderUrl("build_artifacts", "build-guid", { "cc-build-artifacts-upload-uri": ccUri }),
      body,
    );
    expect(res.status).toBe(200);
    expect(cf.uploadedBuildArtifacts()).toMatchObject([
      { guid: "app-guid", stack: "cflinuxfs4", filename: "buildpack_cache.tgz" },
    ]);
    expect(
      cf.requestsTo("cloudController", "/internal/v4/buildpack_cache/")[0]?.query.async,
    ).toBeUndefined();

    const cacheUrl = new URL(cf.blobstore.buildCacheUrl("app-guid", "127.0.0.1"));
    const auth = `Basic ${Buffer.from(`${cacheUrl.username}:${cacheUrl.password}`).toString("base64")}`;
    const cache = await fetch(`${cf.localUrl("blobstore")}${cacheUrl.pathname}`, {
      headers: { Authorization: auth },
    });
    expect(Buffer.from(await cache.arrayBuffer()).equals(body)).toBe(true);
  });

  it("answers 400 with the real texts for missing or bad parameters", async () => {
    const missing = await post(uploaderUrl("droplet", "g", { timeout: "60" }), body);
    expect([missing.status, await missing.text()]).toEqual([
      400,
      "missing cc-droplet-upload-uri parameter\n",
    ]);
    const missingCache = await post(uploaderUrl("build_artifacts", "g", {}), body);
    expect(await missingCache.text()).toBe("missing cc-build-artifacts-upload-uri parameter\n");
    const badTimeout = await post(
      uploaderUrl("droplet", "g", { "cc-droplet-upload-uri": cc(), timeout: "soon" }),
      body,
    );
    expect(badTimeout.status).toBe(400);
    expect(cf.uploadedDroplets()).toEqual([]);
  });

  it("answers 411 without a body length and 415 for another content type", async () => {
    const empty = await post(dropletUrl(), Buffer.alloc(0));
    expect([empty.status, await empty.text()]).toEqual([411, "Missing Content Length\n"]);
    const typed = await post(dropletUrl(), body, {
      ...uploadHeaders(body),
      "Content-Type": "application/x-gzip",
    });
    expect(typed.status).toBe(415);
  });

  it("answers 400 when Content-MD5 or Content-Digest do not match the body", async () => {
    const other = randomBytes(10);
    const md5 = await post(dropletUrl(), body, {
      ...uploadHeaders(body),
      "Content-MD5": uploadHeaders(other)["Content-MD5"] ?? "",
    });
    expect([md5.status, await md5.text()]).toEqual([400, "content md5 did not match\n"]);
    const { "Content-Digest": _digest, ...md5Only } = uploadHeaders(body);
    const wrongMd5 = await post(dropletUrl(), body, {
      ...md5Only,
      "Content-MD5": uploadHeaders(other)["Content-MD5"] ?? "",
    });
    expect([wrongMd5.status, await wrongMd5.text()]).toEqual([400, "content md5 did not match\n"]);
    const digest = await post(dropletUrl(), body, {
      ...uploadHeaders(body),
      "Content-Digest": uploadHeaders(other)["Content-Digest"] ?? "",
    });
    expect([digest.status, await digest.text()]).toEqual([400, "content digest did not match\n"]);
    expect(cf.requestsTo("cloudController")).toEqual([]);
  });

  it("relays CC's refusal as `status code: <n>`", async () => {
    const res = await post(
      dropletUrl(`${cc("internal_user:wrong@")}/staging/droplets/app-guid/upload`),
      body,
    );
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/^status code: 401\n\{"code":10002/);
  });
});
