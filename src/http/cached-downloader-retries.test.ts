import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CancelledError } from "../errors.js";
import { CachedDownloader, type CachedDownloaderOptions } from "./cached-downloader.js";
import { DownloadStatusError } from "./http-errors.js";
import { sleep } from "./sleep.js";

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
}

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

let server: Server;
let base: string;
let requests: Recorded[];
let handler: Handler;
let cacheDir: string;
let sleeps: number[];
const downloaders: CachedDownloader[] = [];

beforeEach(async () => {
  requests = [];
  sleeps = [];
  cacheDir = await mkdtemp(join(tmpdir(), "restager-cache-test-"));
  server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    handler(req, res, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(downloaders.splice(0).map((d) => d.close()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(cacheDir, { recursive: true, force: true });
});

function makeDownloader(extra: Partial<CachedDownloaderOptions> = {}): CachedDownloader {
  const downloader = new CachedDownloader({
    cacheDir,
    transportOptions: { idleTimeoutMs: 2000, connectTimeoutMs: 2000 },
    timing: {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0,
    },
    ...extra,
  });
  downloaders.push(downloader);
  return downloader;
}

const body = Buffer.from("droplet bytes ".repeat(1000));

async function cacheEntries(): Promise<string[]> {
  const dir = join(cacheDir, "downloads");
  return existsSync(dir) ? readdir(dir) : [];
}

describe("CachedDownloader retries", () => {
  it("retries a 500 and succeeds", async () => {
    handler = (_req, res, hit) => {
      if (hit === 1) res.writeHead(500).end("boom");
      else res.writeHead(200).end(body);
    };
    const file = await makeDownloader().download({ url: `${base}/r`, cacheKey: "" });
    expect((await readFile(file.path)).equals(body)).toBe(true);
    expect(requests).toHaveLength(2);
    expect(sleeps).toEqual([500]);
    await file.release();
  });

  it("backs off 0.5 s, 1 s, 2 s and gives up after 4 attempts", async () => {
    handler = (_req, res) => res.writeHead(503).end();
    const failure = makeDownloader().download({ url: `${base}/down`, cacheKey: "" });
    await expect(failure).rejects.toBeInstanceOf(DownloadStatusError);
    await expect(failure).rejects.toThrow("Download failed: Status code 503");
    expect(requests).toHaveLength(4);
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it("retries a connection reset in the middle of the body", async () => {
    handler = (_req, res, hit) => {
      if (hit === 1) {
        res.writeHead(200, { "content-length": body.length });
        res.write(body.subarray(0, 100), () => res.socket?.destroy());
      } else {
        res.writeHead(200, { "content-length": body.length }).end(body);
      }
    };
    const file = await makeDownloader().download({ url: `${base}/reset`, cacheKey: "" });
    expect((await readFile(file.path)).equals(body)).toBe(true);
    expect(requests).toHaveLength(2);
    await file.release();
  });

  it("stops when cancelled during the backoff", async () => {
    handler = (_req, res) => res.writeHead(502).end();
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
    handler = (_req, res) => {
      res.writeHead(200, { etag: '"p"', "content-length": body.length });
      res.write(body.subarray(0, 10), () => controller.abort());
    };
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
    handler = (_req, res, hit) => {
      res.writeHead(200, { "content-length": body.length });
      if (hit === 1) res.write(body.subarray(0, 10));
      else res.end(body);
    };
    const downloader = makeDownloader({ transportOptions: { idleTimeoutMs: 200 } });
    const file = await downloader.download({ url: `${base}/stall`, cacheKey: "" });
    expect((await readFile(file.path)).equals(body)).toBe(true);
    expect(requests).toHaveLength(2);
    await file.release();
  });
});

describe("CachedDownloader transport", () => {
  it("connects to the --resolve address but keeps the original Host header", async () => {
    handler = (_req, res) => res.writeHead(200).end(body);
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
    handler = (req, res) => {
      if (req.url === "/internal/droplet") res.writeHead(302, { location: "/blobstore/d" }).end();
      else res.writeHead(200, { etag: '"b"' }).end(body);
    };
    const file = await makeDownloader().download({
      url: `${base}/internal/droplet`,
      cacheKey: "d",
    });
    expect(requests.map((r) => r.url)).toEqual(["/internal/droplet", "/blobstore/d"]);
    expect(file.sizeBytes).toBe(body.length);
  });

  it("reports progress with the Content-Length as total", async () => {
    handler = (_req, res) => res.writeHead(200, { "content-length": body.length }).end(body);
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
