import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  base,
  cacheDir,
  makeDownloader,
  requests,
  serve,
  sleeps,
  useDownloaderServer,
} from "../../kit/downloader-server.js";
import { CancelledError } from "../../../src/errors.js";
import { DownloadStatusError } from "../../../src/http/http-errors.js";
import { sleep } from "../../../src/http/sleep.js";

useDownloaderServer();

const body = Buffer.from("droplet bytes ".repeat(1000));

async function cacheEntries(): Promise<string[]> {
  const dir = join(cacheDir, "downloads");
  return existsSync(dir) ? readdir(dir) : [];
}

describe("CachedDownloader retries", () => {
  it("retries a 500 and succeeds", async () => {
    serve((_req, res, hit) => {
      if (hit === 1) res.writeHead(500).end("boom");
      else res.writeHead(200).end(body);
    });
    const file = await makeDownloader().download({ url: `${base}/r`, cacheKey: "" });
    expect((await readFile(file.path)).equals(body)).toBe(true);
    expect(requests).toHaveLength(2);
    expect(sleeps).toEqual([500]);
    await file.release();
  });

  it("backs off 0.5 s, 1 s, 2 s and gives up after 4 attempts", async () => {
    serve((_req, res) => res.writeHead(503).end());
    const failure = makeDownloader().download({ url: `${base}/down`, cacheKey: "" });
    await expect(failure).rejects.toBeInstanceOf(DownloadStatusError);
    await expect(failure).rejects.toThrow("Download failed: Status code 503");
    expect(requests).toHaveLength(4);
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it("retries a connection reset in the middle of the body", async () => {
    serve((_req, res, hit) => {
      if (hit === 1) {
        res.writeHead(200, { "content-length": body.length });
        res.write(body.subarray(0, 100), () => res.socket?.destroy());
      } else {
        res.writeHead(200, { "content-length": body.length }).end(body);
      }
    });
    const file = await makeDownloader().download({ url: `${base}/reset`, cacheKey: "" });
    expect((await readFile(file.path)).equals(body)).toBe(true);
    expect(requests).toHaveLength(2);
    await file.release();
  });

  it("stops when cancelled during the backoff", async () => {
    serve((_req, res) => res.writeHead(502).end());
    const controller = new AbortController();
    const downloader = makeDownloader({
      timing: {
        sleep: (ms, signal) => {
          setTimeout(() => controller.abort(), 10);
          return sleep(ms, signal);
        },
      },
    });
    const failure = downloader.download({
      url: `${base}/x`,
      cacheKey: "",
      signal: controller.signal,
    });
    await expect(failure).rejects.toBeInstanceOf(CancelledError);
    expect(requests).toHaveLength(1);
  });

  it("stops mid-body when cancelled and leaves no partial entry", async () => {
    const controller = new AbortController();
    serve((_req, res) => {
      res.writeHead(200, { etag: '"p"', "content-length": body.length });
      res.write(body.subarray(0, 10), () => controller.abort());
    });
    const failure = makeDownloader().download({
      url: `${base}/slow`,
      cacheKey: "slow",
      signal: controller.signal,
    });
    await expect(failure).rejects.toBeInstanceOf(CancelledError);
    expect(requests).toHaveLength(1);
    const [entry] = await cacheEntries();
    expect(await readdir(join(cacheDir, "downloads", entry!))).toEqual([]);
  });

  it("retries when the body stalls longer than the idle timeout", async () => {
    serve((_req, res, hit) => {
      res.writeHead(200, { "content-length": body.length });
      if (hit === 1) res.write(body.subarray(0, 10));
      else res.end(body);
    });
    const downloader = makeDownloader({ transportOptions: { idleTimeoutMs: 200 } });
    const file = await downloader.download({ url: `${base}/stall`, cacheKey: "" });
    expect((await readFile(file.path)).equals(body)).toBe(true);
    expect(requests).toHaveLength(2);
    await file.release();
  });
});

describe("CachedDownloader transport", () => {
  it("connects to the --resolve address but keeps the original Host header", async () => {
    serve((_req, res) => res.writeHead(200).end(body));
    const port = new URL(base).port;
    const downloader = makeDownloader({
      transportOptions: {
        resolveMap: [{ host: "*.service.cf.internal", address: "127.0.0.1" }],
      },
    });
    const url = `http://file-server.service.cf.internal:${port}/v1/static/lifecycle.tgz`;
    const file = await downloader.download({ url, cacheKey: "" });
    expect(requests[0]?.headers.host).toBe(`file-server.service.cf.internal:${port}`);
    expect(requests[0]?.url).toBe("/v1/static/lifecycle.tgz");
    await file.release();
  });

  it("follows redirects (Cloud Controller sends droplet downloads to the blobstore)", async () => {
    serve((req, res) => {
      if (req.url === "/internal/droplet") res.writeHead(302, { location: "/blobstore/d" }).end();
      else res.writeHead(200, { etag: '"b"' }).end(body);
    });
    const file = await makeDownloader().download({
      url: `${base}/internal/droplet`,
      cacheKey: "d",
    });
    expect(requests.map((r) => r.url)).toEqual(["/internal/droplet", "/blobstore/d"]);
    expect(file.sizeBytes).toBe(body.length);
  });

  it("reports progress with the Content-Length as total", async () => {
    serve((_req, res) => res.writeHead(200, { "content-length": body.length }).end(body));
    const calls: [number, number | undefined][] = [];
    const file = await makeDownloader().download({
      url: `${base}/p`,
      cacheKey: "",
      onProgress: (bytes, total) => calls.push([bytes, total]),
    });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.at(-1)).toEqual([body.length, body.length]);
    await file.release();
  });
});
