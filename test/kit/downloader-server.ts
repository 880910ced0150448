/**
 * The loopback server and downloader factory shared by the CachedDownloader tests: each test
 * gets a fresh server (answering with the handler given to `serve`), request log, cache dir and
 * list of backoff sleeps; downloaders made with `makeDownloader` are closed after the test.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import {
  CachedDownloader,
  type CachedDownloaderOptions,
} from "../../src/http/cached-downloader.js";
import { listenOnLoopback, closeServer } from "./loopback-server.js";

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
}

/** Answers one request; `hit` counts requests so far, this one included. */
export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

// Live bindings: importers see the values of the running test.
export let base: string;
export let requests: Recorded[];
export let cacheDir: string;
export let sleeps: number[];

let server: Server;
let handler: Handler;
const downloaders: CachedDownloader[] = [];

/** Makes `next` answer the requests of the current test. */
export function serve(next: Handler): void {
  handler = next;
}

/** Registers the per-test set-up and tear-down; call once at the top of a test file. */
export function useDownloaderServer(): void {
  beforeEach(async () => {
    requests = [];
    sleeps = [];
    cacheDir = await mkdtemp(join(tmpdir(), "restager-cache-test-"));
    server = createServer((req, res) => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
      handler(req, res, requests.length);
    });
    base = await listenOnLoopback(server);
  });

  afterEach(async () => {
    await Promise.all(downloaders.splice(0).map((d) => d.close()));
    await closeServer(server);
    await rm(cacheDir, { recursive: true, force: true });
  });
}

/** A downloader on the test's cache dir whose backoff sleeps are recorded, not slept. */
export function makeDownloader(extra: Partial<CachedDownloaderOptions> = {}): CachedDownloader {
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
