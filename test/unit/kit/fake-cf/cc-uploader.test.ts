import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  createServer,
  request,
  type ClientRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeCf } from "../../../kit/fake-cf/fake-cf.js";

function uploadHeaders(body: Buffer): Record<string, string> {
  return {
    "Content-Type": "application/octet-stream",
    "Content-MD5": createHash("md5").update(body).digest("base64"),
    "Content-Digest": `sha-256=:${createHash("sha256").update(body).digest("base64")}:`,
  };
}

/** A raw upload whose body the test writes itself. */
function openUpload(url: string, payload: Buffer) {
  const headers = { ...uploadHeaders(payload), "Content-Length": String(payload.length) };
  const req: ClientRequest = request(url, { method: "POST", headers });
  req.on("error", () => undefined);
  const response = new Promise<IncomingMessage>((resolve) => req.once("response", resolve));
  return { req, response };
}

/** Waits (up to 5 s) for `probe` to give a value other than undefined or false. */
async function until<T>(probe: () => T | undefined | false): Promise<T> {
  for (let waited = 0; waited < 5000; waited += 10) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    await sleep(10);
  }
  throw new Error("timed out waiting");
}

/** A bare HTTP server standing in for CC, on 127.0.0.1. */
async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
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
      "missing cc-droplet-upload-uri parameter",
    ]);
    const missingCache = await post(uploaderUrl("build_artifacts", "g", {}), body);
    expect(await missingCache.text()).toBe("missing cc-build-artifacts-upload-uri parameter");
    const badTimeout = await post(
      uploaderUrl("droplet", "g", { "cc-droplet-upload-uri": cc(), timeout: "soon" }),
      body,
    );
    expect([badTimeout.status, await badTimeout.text()]).toEqual([
      400,
      'strconv.Atoi: parsing "soon": invalid syntax',
    ]);
    expect(cf.uploadedDroplets()).toEqual([]);
  });

  it("answers 411 without a body length and 415 for another content type", async () => {
    const empty = await post(dropletUrl(), Buffer.alloc(0));
    expect([empty.status, await empty.text()]).toEqual([411, "Missing Content Length"]);
    const typed = await post(dropletUrl(), body, {
      ...uploadHeaders(body),
      "Content-Type": "application/x-gzip",
    });
    expect(typed.status).toBe(415);
  });

  it("passes CC's refusal of a digest that does not match through as `status code: 400`", async () => {
    const other = randomBytes(10);
    const { "Content-Digest": _digest, ...md5Only } = uploadHeaders(body);
    const md5 = await post(dropletUrl(), body, {
      ...md5Only,
      "Content-MD5": uploadHeaders(other)["Content-MD5"] ?? "",
    });
    expect([md5.status, await md5.text()]).toEqual([
      400,
      'status code: 400\n{"code":170001,"description":"Staging error: content md5 did not match","error_code":"CF-StagingError"}',
    ]);
    const digest = await post(dropletUrl(), body, {
      ...uploadHeaders(body),
      "Content-Digest": uploadHeaders(other)["Content-Digest"] ?? "",
    });
    expect(digest.status).toBe(400);
    expect(await digest.text()).toMatch(/^status code: 400\n\{.*content digest did not match/);
    // Both bodies went all the way to CC, which refused them.
    const uploads = cf.requestsTo("cloudController", "/staging/droplets/");
    expect(uploads.map((r) => [r.status, r.bodyBytes > body.length])).toEqual([
      [400, true],
      [400, true],
    ]);
    expect(cf.uploadedDroplets()).toEqual([]);
  });

  it("takes a wrong Content-MD5 beside a matching Content-Digest: CC checks only the digest", async () => {
    const res = await post(dropletUrl(), body, {
      ...uploadHeaders(body),
      "Content-MD5": uploadHeaders(randomBytes(10))["Content-MD5"] ?? "",
    });
    expect(res.status).toBe(201);
    expect(cf.uploadedDroplets()).toHaveLength(1);
  });

  it("forwards a Content-Digest the executor did not send as an empty header", async () => {
    const { "Content-Digest": _digest, ...md5Only } = uploadHeaders(body);
    expect((await post(dropletUrl(), body, md5Only)).status).toBe(201);
    const [upload] = cf.requestsTo("cloudController", "/staging/droplets/");
    expect(upload?.headers["content-digest"]).toBe("");
    expect(upload?.headers["content-md5"]).toBe(md5Only["Content-MD5"]);
  });

  it("streams the body to CC while the executor is still sending it", async () => {
    const upload = openUpload(dropletUrl(), body);
    upload.req.write(body.subarray(0, 200_000));
    const toCc = await until(() => cf.requestsTo("cloudController", "/staging/droplets/")[0]);
    await until(() => toCc.bodyBytes > 150_000);
    expect(toCc.outcome).toBe("pending");
    upload.req.end(body.subarray(200_000));
    expect((await upload.response).statusCode).toBe(201);
    const stored = cf.uploadedDroplets()[0];
    expect((await readFile(stored?.filePath ?? "")).equals(body)).toBe(true);
  });

  it("cuts CC's upload short when the executor aborts mid-body: nothing is stored", async () => {
    const upload = openUpload(dropletUrl(), body);
    upload.req.write(body.subarray(0, 200_000));
    const toCc = await until(() => cf.requestsTo("cloudController", "/staging/droplets/")[0]);
    await until(() => toCc.bodyBytes > 150_000);
    upload.req.destroy();
    await until(() => toCc.outcome !== "pending");
    expect(toCc.outcome).toBe("aborted");
    expect(toCc.bodyMd5).toBeUndefined();
    await until(() => cf.requestsTo("ccUploader")[0]?.outcome !== "pending");
    expect(cf.requestsTo("ccUploader")[0]?.outcome).toBe("aborted");
    expect(cf.uploadedDroplets()).toEqual([]);
  });

  it("answers 500 with Go's client error, password hidden, when CC fails mid-stream", async () => {
    await using dying = await startServer((req) => {
      let received = 0;
      req.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > 64 * 1024) req.socket.destroy();
      });
    });
    const big = randomBytes(2 * 1024 * 1024);
    const res = await post(dropletUrl(`http://user:secret@${dying.host}/x/upload`), big);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toMatch(
      /^Post "http:\/\/user:\*\*\*@127\.0\.0\.1:\d+\/x\/upload\?async=true": \S/,
    );
    expect(text).not.toContain("secret");
  });

  it("answers 500 `net/http: request canceled` when CC outlasts the timeout", async () => {
    await using silent = await startServer((req) => req.resume());
    const ccUri = `http://${silent.host}/internal/v4/buildpack_cache/s/app/upload`;
    const res = await post(
      uploaderUrl("build_artifacts", "g", { "cc-build-artifacts-upload-uri": ccUri, timeout: "1" }),
      body,
    );
    expect([res.status, await res.text()]).toEqual([
      500,
      `Post "${ccUri}": net/http: request canceled`,
    ]);
  });

  it("answers 500 with the dial error when CC cannot be reached", async () => {
    const closed = await startServer(() => undefined);
    const host = closed.host;
    await closed[Symbol.asyncDispose]();
    const res = await post(dropletUrl(`http://${host}/x/upload`), body);
    expect([res.status, await res.text()]).toEqual([
      500,
      `Post "http://${host}/x/upload?async=true": dial tcp ${host}: connect: connection refused`,
    ]);
  });

  it("polls the job on a ticker: a poll slower than the interval is followed at once", async () => {
    const polls: number[] = [];
    let answeredAt = 0;
    await using slowJobs = await startServer((req, res) => {
      const job = (status: string) =>
        JSON.stringify({ metadata: { url: "/jobs/1" }, entity: { status } });
      if (req.method === "POST") {
        req.resume().on("end", () => {
          res.end(job("queued"));
          answeredAt = performance.now();
        });
        return;
      }
      polls.push(performance.now());
      const status = polls.length < 3 ? "running" : "finished";
      setTimeout(() => res.end(job(status)), 500);
    });
    await using ticking = await FakeCf.start({
      bindHost: "127.0.0.1",
      advertiseHost: "127.0.0.1",
      jobPollIntervalMs: 300,
    });
    const url = `${ticking.localUrl("ccUploader")}/v1/droplet/g?${new URLSearchParams({
      "cc-droplet-upload-uri": `http://${slowJobs.host}/x/upload`,
    }).toString()}`;
    expect((await post(url, body)).status).toBe(201);
    const [first = 0, second = 0] = polls;
    expect(polls).toHaveLength(3);
    // The first tick comes one interval after the upload answered. That poll takes 500 ms,
    // past the second tick, which then fires at once: the next poll follows the answer, where
    // a wait of one interval after each answer would put it 800 ms or more after the first.
    expect(first - answeredAt).toBeGreaterThanOrEqual(250);
    expect(second - first).toBeLessThan(760);
  });

  it("without recordMd5 (the bench's fake), hashes MD5 only for CC's Content-MD5 check", async () => {
    await using bench = await FakeCf.start({
      bindHost: "127.0.0.1",
      advertiseHost: "127.0.0.1",
      jobPollIntervalMs: 10,
      recordMd5: false,
    });
    const ccUri = `${bench.localUrl("cloudController")}/internal/v4/droplets/build-guid/upload`;
    const url = `${bench.localUrl("ccUploader")}/v1/droplet/build-guid?${new URLSearchParams({
      "cc-droplet-upload-uri": ccUri,
    }).toString()}`;
    const { "Content-Digest": _digest, ...md5Only } = uploadHeaders(body);
    const wrongMd5 = { ...md5Only, "Content-MD5": uploadHeaders(randomBytes(10))["Content-MD5"] };
    const refused = await post(url, body, wrongMd5 as Record<string, string>);
    expect([refused.status, await refused.text()]).toEqual([
      400,
      'status code: 400\n{"code":170001,"description":"Staging error: content md5 did not match","error_code":"CF-StagingError"}',
    ]);
    const wrongDigest = {
      ...uploadHeaders(body),
      "Content-Digest": uploadHeaders(randomBytes(10))["Content-Digest"],
    };
    expect((await post(url, body, wrongDigest as Record<string, string>)).status).toBe(400);
    expect((await post(url, body, md5Only)).status).toBe(201);
    expect((await post(url, body)).status).toBe(201);
    const md5 = createHash("md5").update(body).digest("hex");
    const sha256 = createHash("sha256").update(body).digest("hex");
    // The first one's MD5 was checked; the second one's Content-Digest (SHA-256) was.
    expect(bench.uploadedDroplets().map((d) => [d.size, d.md5, d.sha256])).toEqual([
      [body.length, md5, sha256],
      [body.length, "", sha256],
    ]);
    const logged = bench.requestsTo("ccUploader").map((r) => [r.status, r.bodyBytes, r.bodyMd5]);
    expect(logged).toEqual([400, 400, 201, 201].map((status) => [status, body.length, undefined]));
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
