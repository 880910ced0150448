import { describe, expect, it } from "vitest";
import type { CachedDependency } from "../../../src/diego/common.js";
import type { DownloadRequest } from "../../../src/http/ports.js";
import { FakeDownloader } from "../../kit/fake-ports.js";
import { RecordingTaskLog } from "../../kit/recording-task-log.js";
import { downloadDependencies } from "../../../src/restage/dependency-downloads.js";

function dependency(name: string, logSource = ""): CachedDependency {
  return { name, from: `http://blobs/${name}`, to: `/tmp/${name}`, cacheKey: name, logSource };
}

function world() {
  const downloader = new FakeDownloader();
  const taskLog = new RecordingTaskLog("STG");
  const ctx = { downloader, taskLog, logger: { debug: () => undefined } };
  return { downloader, taskLog, ctx };
}

describe("downloadDependencies (the executor's dependency manager)", () => {
  it("writes each 'Downloaded' line as that download finishes, on stdout", async () => {
    const { downloader, taskLog, ctx } = world();
    downloader.serve("http://blobs/fast", { body: Buffer.alloc(2048) });
    downloader.serve("http://blobs/slow", { body: Buffer.alloc(10) });
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = downloader.download.bind(downloader);
    downloader.download = async (request: DownloadRequest) => {
      if (request.url.endsWith("/slow")) await gate;
      return inner(request);
    };
    const running = downloadDependencies(
      [dependency("slow"), dependency("fast", "CELL")],
      ctx,
      new AbortController().signal,
    );
    await expect.poll(() => taskLog.lines()).toContain("Downloaded fast (2K)");
    expect(taskLog.lines()).not.toContain("Downloaded slow (10B)");
    release();
    const fetched = await running;
    expect(taskLog.transcript()).toEqual([
      "[STG] OUT Downloading slow...",
      "[CELL] OUT Downloading fast...",
      "[CELL] OUT Downloaded fast (2K)",
      "[STG] OUT Downloaded slow (10B)",
    ]);
    for (const item of fetched) await item.file.release();
  });

  it("the first failure cancels the others; each prints 'Downloading X failed' on stdout", async () => {
    const { downloader, taskLog, ctx } = world();
    downloader.serve("http://blobs/buildpack", { hang: true });
    downloader.serve("http://blobs/done", { body: Buffer.alloc(1) });
    const signal = new AbortController().signal;
    const failing = downloadDependencies(
      [dependency("done"), dependency("buildpack"), dependency("lifecycle")],
      ctx,
      signal,
    );
    await expect(failing).rejects.toThrow("Downloading lifecycle failed");
    const hung = downloader.requests.find((r) => r.url.endsWith("/buildpack"));
    expect(hung?.signal?.aborted).toBe(true);
    expect(taskLog.lines("err")).toEqual([]);
    expect(taskLog.lines("out")).toEqual(
      expect.arrayContaining(["Downloading lifecycle failed", "Downloading buildpack failed"]),
    );
    expect(downloader.unreleased).toBe(0);
  });

  it("an unnamed dependency prints nothing, failed or not", async () => {
    const { taskLog, ctx } = world();
    await expect(
      downloadDependencies([dependency("")], ctx, new AbortController().signal),
    ).rejects.toThrow("Downloading failed");
    expect(taskLog.lines()).toEqual([]);
  });

  it("a cancelled restage rejects with the cancellation and prints no failure", async () => {
    const { downloader, taskLog, ctx } = world();
    downloader.serve("http://blobs/slow", { hang: true });
    const controller = new AbortController();
    const running = downloadDependencies([dependency("slow")], ctx, controller.signal);
    controller.abort(new Error("interrupted"));
    await expect(running).rejects.toThrow();
    expect(taskLog.lines()).toEqual(["Downloading slow..."]);
  });
});
