import { describe, expect, it } from "vitest";
import { CancelledError } from "../../../src/errors.js";
import type { DownloadedFile, Downloader, DownloadRequest } from "../../../src/http/ports.js";
import { PrefetchingDownloader } from "../../../src/restage/prefetching-downloader.js";

/** A download the test settles by hand. */
interface Pending {
  request: DownloadRequest;
  resolve(file: DownloadedFile): void;
  reject(error: unknown): void;
}

class ManualDownloader implements Downloader {
  readonly pending: Pending[] = [];
  readonly released: string[] = [];

  download(request: DownloadRequest): Promise<DownloadedFile> {
    return new Promise((resolve, reject) => this.pending.push({ request, resolve, reject }));
  }

  file(name: string, sizeBytes = 10): DownloadedFile {
    return {
      path: `/tmp/${name}`,
      sizeBytes,
      fromCache: false,
      release: () => {
        this.released.push(name);
        return Promise.resolve();
      },
    };
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const silent = { debug: () => undefined };
const app = { url: "http://blobs/app", cacheKey: "" };
const cache = { url: "http://blobs/cache", cacheKey: "" };

function world() {
  const inner = new ManualDownloader();
  const outer = new AbortController();
  const downloader = new PrefetchingDownloader(inner, outer.signal, silent);
  return { inner, outer, downloader };
}

describe("PrefetchingDownloader", () => {
  it("starts prefetches at once and hands the in-flight one to the matching request", async () => {
    const { inner, downloader } = world();
    downloader.prefetch([app, cache, app]);
    expect(inner.pending.map((p) => p.request.url)).toEqual([app.url, cache.url]);
    const progress: [number, number | undefined][] = [];
    inner.pending[0]?.request.onProgress?.(4, 10);
    const taken = downloader.download({ ...app, onProgress: (b, t) => progress.push([b, t]) });
    inner.pending[0]?.request.onProgress?.(10, 10);
    inner.pending[0]?.resolve(inner.file("app"));
    expect((await taken).path).toBe("/tmp/app");
    expect(progress).toEqual([
      [4, 10],
      [10, 10],
    ]);
    expect(inner.pending).toHaveLength(2);
  });

  it("hands a finished prefetch over once; later and different requests download anew", async () => {
    const { inner, downloader } = world();
    const checksum = { algorithm: "sha256" as const, value: "ab".repeat(32) };
    downloader.prefetch([{ ...app, checksum }]);
    inner.pending[0]?.resolve(inner.file("app"));
    await settle();
    const taken = await downloader.download({ ...app, checksum: { ...checksum } });
    expect(taken.path).toBe("/tmp/app");
    expect(inner.pending).toHaveLength(1);
    void downloader.download({ ...app, checksum });
    void downloader.download({ ...app, checksum: { algorithm: "md5", value: "c".repeat(32) } });
    void downloader.download({ ...app, cacheKey: "other" });
    expect(inner.pending).toHaveLength(4);
  });

  it("keeps a prefetch's failure until a step asks, then surfaces it", async () => {
    const { inner, downloader } = world();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      downloader.prefetch([cache]);
      const failure = new Error("Download failed: Status code 404");
      inner.pending[0]?.reject(failure);
      await settle();
      await settle();
      expect(unhandled).toEqual([]);
      await expect(downloader.download(cache)).rejects.toBe(failure);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("close() releases finished files nobody took and aborts the ones in flight", async () => {
    const { inner, downloader } = world();
    downloader.prefetch([app, cache]);
    inner.pending[0]?.resolve(inner.file("app"));
    const inFlight = inner.pending[1];
    const closing = downloader.close();
    expect(inFlight?.request.signal?.aborted).toBe(true);
    inFlight?.resolve(inner.file("cache"));
    await closing;
    expect(inner.released.sort()).toEqual(["app", "cache"]);
    downloader.prefetch([app]);
    expect(inner.pending).toHaveLength(2);
  });

  it("does not release what a step took", async () => {
    const { inner, downloader } = world();
    downloader.prefetch([app]);
    inner.pending[0]?.resolve(inner.file("app"));
    await downloader.download(app);
    await downloader.close();
    expect(inner.released).toEqual([]);
  });

  it("lets a step give up waiting; the file arriving later is released at close", async () => {
    const { inner, downloader } = world();
    downloader.prefetch([app]);
    const step = new AbortController();
    const taken = downloader.download({ ...app, signal: step.signal });
    step.abort(new CancelledError("exceeded 1s timeout"));
    await expect(taken).rejects.toBeInstanceOf(CancelledError);
    expect(inner.pending[0]?.request.signal?.aborted).toBe(false);
    inner.pending[0]?.resolve(inner.file("app"));
    await downloader.close();
    expect(inner.released).toEqual(["app"]);
  });

  it("aborts prefetches when the restage is cancelled", () => {
    const { inner, outer, downloader } = world();
    downloader.prefetch([app]);
    const reason = new CancelledError("Interrupted");
    outer.abort(reason);
    expect(inner.pending[0]?.request.signal?.reason).toBe(reason);
    downloader.prefetch([cache]);
    expect(inner.pending).toHaveLength(1);
  });
});
