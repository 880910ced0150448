import { createHash } from "node:crypto";
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
  useDownloaderServer,
  type Handler,
} from "../../kit/downloader-server.js";

useDownloaderServer();

const body = Buffer.from("droplet bytes ".repeat(1000));

function serveWithEtag(etag: string): Handler {
  return (req, res) => {
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { etag, "content-length": body.length }).end(body);
  };
}

async function cacheEntries(): Promise<string[]> {
  const dir = join(cacheDir, "downloads");
  return existsSync(dir) ? readdir(dir) : [];
}

describe("CachedDownloader caching", () => {
  it("stores a 200 with an ETag and revalidates it with If-None-Match (304 → fromCache)", async () => {
    serve(serveWithEtag('"v1"'));
    const downloader = makeDownloader();
    const first = await downloader.download({
      url: `${base}/droplet?sig=secret`,
      cacheKey: "droplet-1",
    });
    expect(first.fromCache).toBe(false);
    expect((await readFile(first.path)).equals(body)).toBe(true);
    const second = await downloader.download({
      url: `${base}/droplet?sig=secret`,
      cacheKey: "droplet-1",
    });
    expect(second.fromCache).toBe(true);
    expect(second.sizeBytes).toBe(body.length);
    expect((await readFile(second.path)).equals(body)).toBe(true);
    expect(requests[1]?.headers["if-none-match"]).toBe('"v1"');
    const [entry] = await cacheEntries();
    const metaPath = join(cacheDir, "downloads", entry!, "meta.json");
    const meta = JSON.parse(await readFile(metaPath, "utf8")) as unknown;
    expect(meta).toMatchObject({ etag: '"v1"', size: body.length, url: `${base}/droplet?…` });
    expect(entry).toBe(createHash("sha256").update("droplet-1").digest("hex"));
  });

  it("replaces the entry when the server answers 200 to the conditional request", async () => {
    serve((_req, res, hit) => {
      res.writeHead(200, { etag: `"v${hit}"` }).end(`version ${hit}`);
    });
    const downloader = makeDownloader();
    await downloader.download({ url: `${base}/a`, cacheKey: "k" });
    const second = await downloader.download({ url: `${base}/a`, cacheKey: "k" });
    expect(second.fromCache).toBe(false);
    expect(await readFile(second.path, "utf8")).toBe("version 2");
    const third = await downloader.download({ url: `${base}/a`, cacheKey: "k" });
    expect(requests[2]?.headers["if-none-match"]).toBe('"v2"');
    expect(await readFile(third.path, "utf8")).toBe("version 3");
  });

  it("sends If-Modified-Since when only Last-Modified was stored", async () => {
    const lastModified = "Wed, 21 Oct 2015 07:28:00 GMT";
    serve((req, res) => {
      if (req.headers["if-modified-since"] === lastModified) res.writeHead(304).end();
      else res.writeHead(200, { "last-modified": lastModified }).end(body);
    });
    const downloader = makeDownloader();
    await downloader.download({ url: `${base}/lm`, cacheKey: "lm" });
    const second = await downloader.download({ url: `${base}/lm`, cacheKey: "lm" });
    expect(requests[1]?.headers["if-modified-since"]).toBe(lastModified);
    expect(requests[1]?.headers["if-none-match"]).toBeUndefined();
    expect(second.fromCache).toBe(true);
  });

  it("does not store a response without ETag and Last-Modified, and release() removes it", async () => {
    serve((_req, res) => res.writeHead(200).end(body));
    const downloader = makeDownloader();
    const file = await downloader.download({ url: `${base}/plain`, cacheKey: "plain" });
    expect((await readFile(file.path)).equals(body)).toBe(true);
    expect(file.path.startsWith(cacheDir)).toBe(false);
    const [entry] = await cacheEntries();
    expect(await readdir(join(cacheDir, "downloads", entry!))).toEqual([]);
    await file.release();
    expect(existsSync(file.path)).toBe(false);
    const again = await downloader.download({ url: `${base}/plain`, cacheKey: "plain" });
    await again.release();
    expect(requests[1]?.headers["if-none-match"]).toBeUndefined();
  });

  it("never caches when the cache key is empty", async () => {
    serve(serveWithEtag('"e"'));
    const downloader = makeDownloader();
    const file = await downloader.download({ url: `${base}/x`, cacheKey: "" });
    expect(file.fromCache).toBe(false);
    expect(await cacheEntries()).toEqual([]);
    await file.release();
  });

  it("makes one GET for two concurrent downloads of the same key", async () => {
    serve((_req, res) => {
      setTimeout(() => res.writeHead(200, { etag: '"c"' }).end(body), 50);
    });
    const downloader = makeDownloader();
    const other = makeDownloader(); // a second instance stands in for a second process
    const results = await Promise.all([
      downloader.download({ url: `${base}/c`, cacheKey: "same" }),
      downloader.download({ url: `${base}/c`, cacheKey: "same" }),
      other.download({ url: `${base}/c`, cacheKey: "same" }),
    ]);
    expect(requests).toHaveLength(1);
    expect(results.map((r) => r.fromCache).sort()).toEqual([false, true, true]);
    for (const result of results) expect((await readFile(result.path)).equals(body)).toBe(true);
  });
});
