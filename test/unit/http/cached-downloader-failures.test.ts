import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
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
  type Handler,
} from "../../kit/downloader-server.js";
import { ExitCode, InvalidInputError } from "../../../src/errors.js";
import { ChecksumMismatchError, ExpiredUrlError } from "../../../src/http/http-errors.js";

useDownloaderServer();

const body = Buffer.from("droplet bytes ".repeat(1000));
const sha256 = createHash("sha256").update(body).digest("hex");

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

describe("CachedDownloader checksums", () => {
  it("checks a cached body against a later request's checksum before reusing it", async () => {
    serve(serveWithEtag('"s"'));
    const downloader = makeDownloader();
    await downloader.download({ url: `${base}/c`, cacheKey: "c" });
    const md5 = createHash("md5").update(body).digest("hex");
    const reused = await downloader.download({
      url: `${base}/c`,
      cacheKey: "c",
      checksum: { algorithm: "md5", value: md5 },
    });
    expect(reused.fromCache).toBe(true);
    expect(requests[1]?.headers["if-none-match"]).toBe('"s"');
    const other = downloader.download({
      url: `${base}/c`,
      cacheKey: "c",
      checksum: { algorithm: "sha1", value: "f".repeat(40) },
    });
    await expect(other).rejects.toBeInstanceOf(ChecksumMismatchError);
    expect(requests[2]?.headers["if-none-match"]).toBeUndefined();
  });

  it("accepts a matching checksum", async () => {
    serve(serveWithEtag('"s"'));
    const file = await makeDownloader().download({
      url: `${base}/ok`,
      cacheKey: "ok",
      checksum: { algorithm: "sha256", value: sha256 },
    });
    expect(file.sizeBytes).toBe(body.length);
  });

  it("fails a mismatch once, without retrying or storing, and without the URL", async () => {
    serve(serveWithEtag('"s"'));
    const md5 = "0".repeat(32);
    const failure = makeDownloader().download({
      url: `${base}/bad?token=secret`,
      cacheKey: "bad",
      checksum: { algorithm: "md5", value: md5 },
    });
    await expect(failure).rejects.toBeInstanceOf(ChecksumMismatchError);
    const error = (await failure.catch((e: unknown) => e)) as ChecksumMismatchError;
    const actual = createHash("md5").update(body).digest("hex");
    expect(error.message).toBe(`Checksum failed: expected md5 ${md5}, got ${actual}`);
    expect(requests).toHaveLength(1);
    const [entry] = await cacheEntries();
    expect(await readdir(join(cacheDir, "downloads", entry!))).toEqual([]);
  });
});

describe("CachedDownloader failures", () => {
  it("fails a 404 at once", async () => {
    serve((_req, res) => res.writeHead(404).end());
    const failure = makeDownloader().download({ url: `${base}/missing?x=1`, cacheKey: "m" });
    await expect(failure).rejects.toThrow("Download failed: Status code 404");
    await expect(failure).rejects.not.toThrow("x=1");
    expect(requests).toHaveLength(1);
  });

  it("turns a 403 into ExpiredUrlError that says when the URL expired, without the query", async () => {
    serve((_req, res) => res.writeHead(403).end());
    const url = `${base}/signed?expires=1600000000&signature=topsecret`;
    const error = (await makeDownloader()
      .download({ url, cacheKey: "" })
      .catch((e: unknown) => e)) as ExpiredUrlError;
    expect(error).toBeInstanceOf(ExpiredUrlError);
    expect(error.exitCode).toBe(ExitCode.expired);
    expect(error.message).toContain("expired at 2020-09-13T12:26:40.000Z");
    expect(error.message).not.toContain("topsecret");
    expect(error.message).not.toContain("expires=");
    expect(error.hint).toContain("build_req");
    expect(requests).toHaveLength(1);
  });

  it("sends basic auth from the URL's userinfo and never shows it in errors", async () => {
    serve((_req, res) => res.writeHead(404).end());
    const url = `http://blob-user:blob-pass@127.0.0.1:${new URL(base).port}/secret-file`;
    const error = (await makeDownloader()
      .download({ url, cacheKey: "" })
      .catch((e: unknown) => e)) as Error;
    const expected = `Basic ${Buffer.from("blob-user:blob-pass").toString("base64")}`;
    expect(requests[0]?.headers.authorization).toBe(expected);
    expect(error.message).toContain("***@127.0.0.1");
    expect(error.message).not.toMatch(/blob-user|blob-pass/);
  });
});

describe("CachedDownloader URLs", () => {
  it("fails a URL that is not http(s) at once, without echoing its secrets", async () => {
    const failure = makeDownloader().download({ url: "ftp://u:pw@host/file?sig=s", cacheKey: "" });
    await expect(failure).rejects.toBeInstanceOf(InvalidInputError);
    await expect(failure).rejects.toThrow("Not an http(s) URL: ftp://***@host/file?…");
    expect(sleeps).toEqual([]);
  });
});
