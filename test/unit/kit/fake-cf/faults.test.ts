import { createHash, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeCf, faults } from "../../../kit/fake-cf/fake-cf.js";
import { ScratchDir } from "../../../kit/fake-cf/scratch-dir.js";

const PATH = "/v1/static/lifecycle.tgz";

describe("fault injection", () => {
  let cf: FakeCf;
  let scratch: ScratchDir;
  const content = randomBytes(256 * 1024);

  beforeEach(async () => {
    cf = await FakeCf.start({ bindHost: "127.0.0.1", advertiseHost: "127.0.0.1" });
    scratch = await ScratchDir.create();
    await cf.fileServer.add("lifecycle.tgz", await scratch.file("lifecycle.tgz", content));
  });
  afterEach(async () => {
    await cf.close();
    await scratch[Symbol.asyncDispose]();
  });

  const url = () => `${cf.localUrl("fileServer")}${PATH}`;
  const get = async () => {
    const res = await fetch(url());
    return {
      status: res.status,
      body: Buffer.from(await res.arrayBuffer()),
      etag: res.headers.get("etag"),
    };
  };
  const md5 = (data: Buffer) => createHash("md5").update(data).digest("hex");

  it("answers an injected status once, then serves normally", async () => {
    cf.inject({ server: "fileServer", path: PATH }, faults.status(500));
    expect((await get()).status).toBe(500);
    const second = await get();
    expect(second.status).toBe(200);
    expect(second.body.equals(content)).toBe(true);
    expect(cf.requestsTo("fileServer").map((r) => r.faults)).toEqual([["status"], []]);
  });

  it("matches routes by server, path prefix and method", async () => {
    cf.inject({ server: "blobstore" }, faults.status(500, Infinity));
    cf.inject({ server: "fileServer", path: "/v1/static/other" }, faults.status(500, Infinity));
    cf.inject({ server: "fileServer", method: "HEAD" }, faults.status(503, Infinity));
    expect((await get()).status).toBe(200);
    expect((await fetch(url(), { method: "HEAD" })).status).toBe(503);
  });

  it("resets the connection mid-body, then recovers", async () => {
    cf.inject({ server: "fileServer", path: PATH }, faults.reset(100_000));
    const res = await fetch(url());
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
    expect((await get()).body.equals(content)).toBe(true);
    await expect.poll(() => cf.requestsTo("fileServer")[0]?.outcome).toBe("reset");
  });

  it("resets before the headers with afterBytes 0", async () => {
    cf.inject({ server: "fileServer" }, faults.reset(0));
    await expect(fetch(url())).rejects.toThrow();
    await expect.poll(() => cf.requestsTo("fileServer")[0]?.status).toBeUndefined();
  });

  it("delays the headers and paces the chunks", async () => {
    cf.inject({ server: "fileServer" }, faults.slow({ delayMs: 150 }));
    let started = performance.now();
    await get();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    cf.inject({ server: "fileServer" }, faults.slow({ msPerChunk: 40 }));
    started = performance.now();
    const paced = await get();
    expect(paced.body.equals(content)).toBe(true);
    // 256 KiB is read in 64 KiB chunks: at least four pauses.
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });

  it("serves wrong bytes with the same length and ETag", async () => {
    const good = await get();
    cf.inject({ server: "fileServer" }, faults.wrongBytes());
    const bad = await get();
    expect(bad.status).toBe(200);
    expect(bad.etag).toBe(good.etag);
    expect(bad.body.length).toBe(content.length);
    expect(md5(bad.body)).not.toBe(md5(content));
    expect(md5((await get()).body)).toBe(md5(content));
  });

  it("answers 403 expired for a valid blobstore URL", async () => {
    const blob = await cf.blobstore.add(
      "cc-buildpacks/aa/bb/bp",
      await scratch.file("bp.zip", "PK"),
    );
    cf.inject({ server: "blobstore", path: "/read/cc-buildpacks/" }, faults.expired());
    const refused = await fetch(blob.signedUrl({ host: "127.0.0.1" }));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Request has expired");
    expect((await fetch(blob.signedUrl({ host: "127.0.0.1" }))).status).toBe(200);
  });

  it("forgets armed faults on clearFaults", async () => {
    cf.inject({ server: "fileServer" }, faults.status(500, Infinity));
    cf.clearFaults();
    expect((await get()).status).toBe(200);
  });
});
