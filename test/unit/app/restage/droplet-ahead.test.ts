import { readFileSync } from "node:fs";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DropletAhead } from "../../../../src/app/restage/droplet-ahead.js";
import type { ImageStore } from "../../../../src/container/image-store.js";
import { parseRequest } from "../../../../src/diego/parse/parse-request.js";
import type { TaskRequest } from "../../../../src/diego/task-definition.js";
import { packTar } from "../../../kit/fake-container.js";
import { FakeDownloader } from "../../../kit/fake-ports.js";
import { fixturesDir } from "../../../kit/fixture-blobs.js";

function task(): TaskRequest {
  const path = join(fixturesDir, "requests", "task-cc-2024.json");
  return parseRequest(JSON.parse(readFileSync(path, "utf8")), "task").value as TaskRequest;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-ahead-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function keptDroplet() {
  const path = join(dir, "droplet.tgz");
  const body = gzipSync(
    packTar([{ path: "./staging_info.yml", type: "File", content: Buffer.from("{}") }]),
  );
  await writeFile(path, body);
  return { path, sizeBytes: body.length, md5Base64: "", sha256Base64: "" };
}

function ahead(wanted: boolean, inspect?: ImageStore["inspect"]) {
  const request = task();
  const definition = request.definition;
  const lifecycle = definition.cachedDependencies.find((d) => d.to === "/tmp/lifecycle");
  const downloader = new FakeDownloader();
  downloader.serve(lifecycle?.from ?? "", { body: Buffer.from("lifecycle") });
  const signal = new AbortController().signal;
  // An engine without the stack image: no carrier is loaded, and none is removed.
  const asked: string[] = [];
  const images = {
    inspect: (ref: string, signal?: AbortSignal) => (
      asked.push(ref),
      inspect ? inspect(ref, signal) : Promise.resolve(undefined)
    ),
    untag: () => Promise.reject(new Error("nothing to remove")),
  } as unknown as ImageStore;
  const stackImage = "restager/stack:bookworm";
  const app = { guid: "273b4ea1-c0b9-4a7c-bd3b-5275150cad19", name: "my-app" };
  const context = { request, downloader, images, stackImage, app, env: {}, signal };
  return { downloader, asked, ahead: new DropletAhead(wanted, context) };
}

describe("DropletAhead", () => {
  it("plans the kept droplet's layer and fetches the lifecycle at once; release() frees both", async () => {
    const { downloader, asked, ahead: early } = ahead(true);
    const droplet = await keptDroplet();
    early.onKept?.(droplet);
    expect(early.planned?.path).toBe(droplet.path);
    const layer = await early.planned?.layer;
    expect(layer?.plan.captured.get("staging_info.yml")?.toString()).toBe("{}");
    expect((await early.lifecycle)?.sizeBytes).toBe("lifecycle".length);
    expect(downloader.requests).toHaveLength(1);
    const spool = layer?.spool?.dir ?? "";
    await access(spool);
    // The layer would go into the engine next; this engine lacks the stack, so it does not.
    expect(await early.planned?.carrier).toBeUndefined();
    expect(asked).toEqual(["restager/stack:bookworm"]);
    await early.release();
    await expect(access(spool)).rejects.toThrow();
    expect(downloader.unreleased).toBe(0);
  });

  it("release() stops the work ahead still running instead of waiting for it", async () => {
    // An engine that has not answered yet when the run ends (its staging failed, say).
    let aborted = false;
    const stalled = (_ref: string, signal?: AbortSignal) =>
      new Promise<undefined>((_resolve, reject) => {
        signal?.addEventListener("abort", () => {
          aborted = true;
          reject(signal.reason as Error);
        });
      });
    const { downloader, asked, ahead: early } = ahead(true, stalled);
    early.onKept?.(await keptDroplet());
    const spool = (await early.planned?.layer)?.spool?.dir ?? "";
    while (asked.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await early.release();
    expect(aborted).toBe(true);
    await expect(access(spool)).rejects.toThrow();
    expect(downloader.unreleased).toBe(0);
  });

  it("does nothing when no image is built", () => {
    const { downloader, ahead: idle } = ahead(false);
    expect(idle.onKept).toBeUndefined();
    expect(idle.planned).toBeUndefined();
    expect(downloader.requests).toEqual([]);
  });
});
