import { describe, expect, it } from "vitest";
import { CancelledError } from "../../../../src/errors.js";
import { packTar, type TarEntry } from "../../../kit/fake-container.js";
import { fakeStepWorld } from "../../../kit/fake-ports.js";
import type { DownloadAction } from "../../../../src/diego/actions.js";
import { DownloadStep } from "../../../../src/diego/steps/download-step.js";
import { EmittableError } from "../../../../src/diego/steps/step-errors.js";

const URL_WITH_SECRET = "https://cc.internal/droplets/abc/download?signature=s3cr3t";
const DROPLET: TarEntry[] = [
  { path: "./app/", type: "Directory" },
  { path: "./app/index.js", type: "File", content: Buffer.from("console.log(1)\n") },
];
const DROPLET_BYTES = packTar(DROPLET).length; // 2560 → "2.5K"

function download(overrides: Partial<DownloadAction> = {}): DownloadAction {
  return {
    kind: "download",
    artifact: "droplet",
    from: URL_WITH_SECRET,
    to: ".",
    cacheKey: "droplets-abc",
    user: "vcap",
    ...overrides,
  };
}

const run = (action: DownloadAction, world: ReturnType<typeof fakeStepWorld>) =>
  new DownloadStep(action, world.ctx).run(new AbortController().signal);

describe("DownloadStep", () => {
  it("download extracts into the user's home for a relative `to`, owned by the user", async () => {
    const world = fakeStepWorld();
    world.downloader.serve(URL_WITH_SECRET, { entries: DROPLET });
    await run(download(), world);
    expect(world.log.transcript()).toEqual([
      "[STG] OUT Downloading droplet...",
      "[STG] OUT Downloaded droplet (2.5K)",
    ]);
    expect(DROPLET_BYTES).toBe(2560);
    const put = world.container.streamIns[0];
    expect(put?.path).toBe("/home/vcap");
    expect(put?.entries.map((e) => [e.path, e.uid, e.gid])).toEqual([
      ["./app/", 2000, 2000],
      ["./app/index.js", 2000, 2000],
    ]);
    expect(world.container.files.get("/home/vcap/app/index.js")?.content.toString()).toBe(
      "console.log(1)\n",
    );
    expect(world.downloader.unreleased).toBe(0);
  });

  it("resolves `to` per user: absolute stays, relative joins the home", async () => {
    const world = fakeStepWorld();
    world.downloader.serve(URL_WITH_SECRET, { entries: DROPLET });
    await run(download({ to: "/tmp/lifecycle", user: "vcap" }), world);
    await run(download({ to: "buildpacks/0", user: "root" }), world);
    expect(world.container.streamIns.map((p) => p.path)).toEqual([
      "/tmp/lifecycle",
      "/root/buildpacks/0",
    ]);
    expect(world.archives.conversions.map((c) => c.owner)).toEqual([
      { uid: 2000, gid: 2000 },
      { uid: 0, gid: 0 },
    ]);
  });

  it("passes url, cache key, checksum and signal to the downloader and reports progress", async () => {
    const world = fakeStepWorld();
    world.downloader.serve(URL_WITH_SECRET, { entries: DROPLET });
    const checksum = { algorithm: "sha256" as const, value: "ab".repeat(32) };
    const signal = new AbortController().signal;
    await new DownloadStep(download({ checksum }), world.ctx).run(signal);
    const request = world.downloader.requests[0];
    expect(request).toMatchObject({
      url: URL_WITH_SECRET,
      cacheKey: "droplets-abc",
      checksum,
      signal,
    });
    expect(world.log.progressEvents.map((p) => p.event)).toEqual([
      { kind: "download-start", artifact: "droplet" },
      { kind: "download-progress", artifact: "droplet", bytes: 2560, totalBytes: 2560 },
      { kind: "download-done", artifact: "droplet", bytes: 2560, cached: false },
    ]);
  });

  it("a cache hit prints 'Downloaded <artifact>' without a size", async () => {
    const world = fakeStepWorld();
    world.downloader.serve(URL_WITH_SECRET, { entries: DROPLET, fromCache: true });
    await run(download(), world);
    expect(world.log.lines("out")).toEqual(["Downloading droplet...", "Downloaded droplet"]);
  });

  it("download progress lines are printed only when artifact is set", async () => {
    const world = fakeStepWorld();
    world.downloader.serve(URL_WITH_SECRET, { entries: DROPLET });
    await run(download({ artifact: "" }), world);
    expect(world.log.entries).toEqual([]);
    expect(world.log.progressEvents).toEqual([]);
    expect(world.container.streamIns).toHaveLength(1);
  });

  it("a failed download is the emittable 'Downloading <artifact> failed', also on stderr", async () => {
    const world = fakeStepWorld();
    const cause = new Error(
      "Download failed: Status code 503 (GET https://cc.internal/droplets/…)",
    );
    world.downloader.serve(URL_WITH_SECRET, { error: cause });
    const error = await run(download(), world).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmittableError);
    expect((error as Error).message).toBe("Downloading droplet failed");
    expect((error as Error).cause).toBe(cause);
    expect(world.log.transcript()).toEqual([
      "[STG] OUT Downloading droplet...",
      "[STG] ERR Downloading droplet failed",
    ]);
    expect(world.log.transcript().join("\n")).not.toContain("s3cr3t");
    expect(world.container.streamIns).toEqual([]);
  });

  it("without an artifact the failure reads 'Downloading failed' (still on stderr)", async () => {
    const world = fakeStepWorld();
    await expect(run(download({ artifact: "" }), world)).rejects.toThrow(/^Downloading failed$/);
    expect(world.log.transcript()).toEqual(["[STG] ERR Downloading failed"]);
  });

  it("a file that is not an archive fails as a download, like Diego's TarTransform", async () => {
    const world = fakeStepWorld();
    world.downloader.serve(URL_WITH_SECRET, {
      body: Buffer.from("#!/bin/sh\necho hi\n".repeat(40)),
    });
    const error = await run(download(), world).catch((e: unknown) => e);
    expect((error as Error).message).toBe("Downloading droplet failed");
    expect(((error as Error).cause as Error).message).toBe("unknown archive format");
    expect(world.downloader.unreleased).toBe(0);
  });

  it("a failed copy is 'Copying <artifact> into the container failed: <reason>'", async () => {
    const world = fakeStepWorld();
    world.downloader.serve(URL_WITH_SECRET, { entries: DROPLET });
    world.container.streamInError = new Error("no space left on device");
    await expect(run(download(), world)).rejects.toThrow(
      /^Copying droplet into the container failed: no space left on device$/,
    );
    expect(world.log.lines("err")).toEqual([
      "Copying droplet into the container failed: no space left on device",
    ]);
    expect(world.downloader.unreleased).toBe(0);
  });

  it("an unknown user fails the copy", async () => {
    const world = fakeStepWorld();
    world.downloader.serve(URL_WITH_SECRET, { entries: DROPLET });
    await expect(run(download({ artifact: "", user: "bob" }), world)).rejects.toThrow(
      "Copying into the container failed: unable to find user bob",
    );
  });

  it("truncates the stderr line to 1024 bytes, keeping the full message on the error", async () => {
    const world = fakeStepWorld();
    world.downloader.serve(URL_WITH_SECRET, { entries: DROPLET });
    world.container.streamInError = new Error("x".repeat(3000));
    const error = (await run(download(), world).catch((e: unknown) => e)) as Error;
    const [line] = world.log.lines("err");
    expect(Buffer.byteLength(line ?? "")).toBe(1024);
    expect(line?.endsWith(" (error truncated)")).toBe(true);
    expect(error.message.length).toBeGreaterThan(3000);
  });

  it("an abort during the download rejects with the cancellation and prints no error", async () => {
    const world = fakeStepWorld();
    world.downloader.serve(URL_WITH_SECRET, { hang: true });
    const controller = new AbortController();
    const running = new DownloadStep(download(), world.ctx).run(controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    const reason = new CancelledError();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(world.log.lines("err")).toEqual([]);
  });
});
