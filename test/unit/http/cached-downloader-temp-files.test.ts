/**
 * Bodies that are not cached live in private `restager-download-*` directories of the temp dir:
 * nothing may stay there once a download was released, failed or was cancelled.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CachedDownloader } from "../../../src/http/cached-downloader.js";
import { listenOnLoopback, closeServer } from "../../kit/loopback-server.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
let cacheDir: string;
let tempDir: string;
let downloader: CachedDownloader;

const body = Buffer.from("app package bytes ".repeat(4000));

beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), "restager-cache-test-"));
  tempDir = await mkdtemp(join(tmpdir(), "restager-temp-test-"));
  server = createServer((req, res) => handler(req, res));
  base = await listenOnLoopback(server);
  downloader = new CachedDownloader({
    cacheDir,
    tempDir,
    transportOptions: { idleTimeoutMs: 2000, connectTimeoutMs: 2000 },
    timing: { sleep: () => Promise.resolve(), random: () => 0 },
  });
});

afterEach(async () => {
  await downloader.close();
  await closeServer(server);
  await rm(cacheDir, { recursive: true, force: true });
  await rm(tempDir, { recursive: true, force: true });
});

/** Sends half the body, then cuts the connection. */
const cutHalfway: Handler = (_req, res) => {
  res.writeHead(200, { "content-length": body.length });
  res.write(body.subarray(0, body.length / 2), () => res.destroy());
};

describe("CachedDownloader temporary files", () => {
  it("removes an uncached body's directory on release, and knows its SHA-256", async () => {
    handler = (_req, res) => res.writeHead(200, { "content-length": body.length }).end(body);
    const file = await downloader.download({ url: `${base}/package`, cacheKey: "" });
    expect(await readdir(tempDir)).toHaveLength(1);
    expect(file.sha256Hex).toBe(createHash("sha256").update(body).digest("hex"));
    await file.release();
    expect(await readdir(tempDir)).toEqual([]);
  });

  it("leaves nothing when every attempt is cut off mid-body", async () => {
    handler = cutHalfway;
    await expect(downloader.download({ url: `${base}/package`, cacheKey: "" })).rejects.toThrow();
    expect(await readdir(tempDir)).toEqual([]);
  });

  it("leaves nothing when the checksum does not match", async () => {
    handler = (_req, res) => res.writeHead(200).end(body);
    const checksum = { algorithm: "sha256" as const, value: "0".repeat(64) };
    const download = downloader.download({ url: `${base}/package`, cacheKey: "", checksum });
    await expect(download).rejects.toThrow(/Checksum failed/);
    expect(await readdir(tempDir)).toEqual([]);
  });

  it("leaves nothing when the download is cancelled mid-body", async () => {
    const controller = new AbortController();
    handler = (_req, res) => {
      res.writeHead(200, { "content-length": body.length });
      res.write(body.subarray(0, 1000), () => controller.abort());
    };
    const download = downloader.download({
      url: `${base}/package`,
      cacheKey: "",
      signal: controller.signal,
    });
    await expect(download).rejects.toThrow();
    expect(await readdir(tempDir)).toEqual([]);
  });
});
