import { createHash } from "node:crypto";
import { access, copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { Header, Parser, type ReadEntry } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tarCodec } from "../../../src/archive/tar-codec.js";
import type { ImageInfo, ImageStore } from "../../../src/container/image-store.js";
import {
  buildImage,
  planDropletLayer,
  type BuildImageOptions,
} from "../../../src/image/build-image.js";
import { defaultImageTime } from "../../../src/image/image-time.js";

/** Records each load archive (as name → bytes); can fail the first load like an engine would. */
class RecordingStore implements Partial<ImageStore> {
  readonly loads: Map<string, Buffer>[] = [];
  readonly tagged = new Map<string, ImageInfo>();
  readonly tags: string[] = [];
  failFirstLoad?: Error;

  constructor(private readonly base: ImageInfo | undefined) {}

  inspect(ref: string): Promise<ImageInfo | undefined> {
    return Promise.resolve(ref === "stack:1" ? this.base : this.tagged.get(ref));
  }

  tag(source: string, target: string): Promise<void> {
    const image = this.tagged.get(source);
    if (!image) throw new Error(`no image ${source}`);
    this.tagged.set(target, image);
    this.tags.push(target);
    return Promise.resolve();
  }

  exportImage(): Promise<Readable> {
    const layer = tarOf([
      ["abc/layer.tar", "base layer bytes"],
      ["manifest.json", '[{"Layers":["abc/layer.tar"]}]'],
    ]);
    return Promise.resolve(Readable.from([layer]));
  }

  async load(archive: Readable): Promise<string[]> {
    const files = await untar(archive);
    this.loads.push(files);
    if (this.failFirstLoad && this.loads.length === 1) throw this.failFirstLoad;
    const manifest = JSON.parse(files.get("manifest.json")?.toString() ?? "") as {
      RepoTags: string[];
      Config: string;
    }[];
    const config = files.get(manifest[0]?.Config ?? "") ?? Buffer.alloc(0);
    const id = `sha256:${createHash("sha256").update(config).digest("hex")}`;
    const parsed = JSON.parse(config.toString()) as {
      rootfs: { diff_ids: string[] };
      config: { Labels: Record<string, string> };
    };
    const image = {
      ...(this.base as ImageInfo),
      id,
      labels: parsed.config.Labels,
      diffIds: parsed.rootfs.diff_ids,
      sizeBytes: 9,
    };
    for (const name of [id, ...(manifest[0]?.RepoTags ?? [])]) this.tagged.set(name, image);
    return [];
  }
}

const base = {
  id: "sha256:b",
  repoTags: [],
  repoDigests: [],
  os: "linux",
  architecture: "amd64",
  env: [],
  labels: {},
  user: "",
  workingDir: "",
  entrypoint: [],
  cmd: [],
  exposedPorts: [],
  healthcheck: [],
  diffIds: ["sha256:base0"],
  sizeBytes: 5,
};

function tarOf(files: [string, string][]): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, text] of files) {
    const body = Buffer.from(text);
    const header = new Header({
      path,
      type: "File",
      mode: 0o644,
      size: body.length,
      mtime: new Date(0),
    });
    header.encode();
    blocks.push(header.block as Buffer, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

async function untar(stream: Readable): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const parser = new Parser({ strict: true });
  parser.on("entry", (entry: ReadEntry) => {
    const chunks: Buffer[] = [];
    entry.on("data", (chunk: Buffer) => chunks.push(chunk));
    entry.on("end", () => files.set(entry.path, Buffer.concat(chunks)));
  });
  for await (const chunk of stream as AsyncIterable<Buffer>) parser.write(chunk);
  await new Promise<void>((resolve) => parser.end(resolve));
  return files;
}

let dir: string;
let options: BuildImageOptions;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-build-"));
  const droplet = join(dir, "droplet.tgz");
  const lifecycle = join(dir, "lifecycle.tgz");
  await writeFile(droplet, gzipSync(tarOf([["./staging_info.yml", '{"start_command":"run.sh"}']])));
  await writeFile(lifecycle, gzipSync(tarOf([["launcher", "#!/bin/sh\n"]])));
  options = {
    dropletPath: droplet,
    lifecyclePath: lifecycle,
    stackImage: "stack:1",
    appName: "App",
    time: defaultImageTime,
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer | undefined) =>
  `sha256:${createHash("sha256")
    .update(bytes ?? Buffer.alloc(0))
    .digest("hex")}`;

const keysOf = (files: Map<string, Buffer> | undefined) => [...(files?.keys() ?? [])];
const manifestOf = (files: Map<string, Buffer> | undefined) =>
  JSON.parse(files?.get("manifest.json")?.toString() ?? "") as unknown;

describe("buildImage", () => {
  it("streams the lifecycle once into a base image, then the droplet layer on top of it", async () => {
    const store = new RecordingStore(base);
    const built = await buildImage(options, {
      images: store as unknown as ImageStore,
      tar: tarCodec,
    });
    expect(store.loads).toHaveLength(2);
    const [baseFiles, files] = store.loads as [Map<string, Buffer>, Map<string, Buffer>];
    expect(keysOf(baseFiles)).toEqual(["lifecycle/layer.tar", "config.json", "manifest.json"]);
    expect(manifestOf(baseFiles)).toEqual([
      {
        Config: "config.json",
        RepoTags: [expect.stringMatching(/^restager\/lifecycle-base:[0-9a-f]{24}$/)],
        Layers: ["base/0/layer.tar", "lifecycle/layer.tar"],
      },
    ]);
    expect(keysOf(files)).toEqual(["droplet/layer.tar", "config.json", "manifest.json"]);
    const config = JSON.parse(files.get("config.json")?.toString() ?? "") as {
      rootfs: { diff_ids: string[] };
      config: { Cmd: string[] };
    };
    expect(config.rootfs.diff_ids).toEqual([
      "sha256:base0",
      sha256(baseFiles.get("lifecycle/layer.tar")),
      sha256(files.get("droplet/layer.tar")),
    ]);
    expect(config.config.Cmd).toEqual(["run.sh", ""]);
    expect(manifestOf(files)).toEqual([
      {
        Config: "config.json",
        RepoTags: built.tags,
        Layers: ["base/0/layer.tar", "base/1/layer.tar", "droplet/layer.tar"],
      },
    ]);
    expect(built.tags).toEqual([
      `restager/app:${built.metadata.dropletMd5Hex.slice(0, 12)}`,
      "restager/app:latest",
    ]);
    expect(built.id).toBe(sha256(files.get("config.json")));
    expect(built.lifecycleLayerBytes).toBe(baseFiles.get("lifecycle/layer.tar")?.length);
    expect(built).toMatchObject({ baseLayers: "reference", reused: false });
  });

  it("streams only the droplet layer once the base image exists, and nothing for the same droplet", async () => {
    const store = new RecordingStore(base);
    const images = store as unknown as ImageStore;
    const first = await buildImage(options, { images, tar: tarCodec });
    const other = join(dir, "other.tgz");
    await writeFile(other, gzipSync(tarOf([["./staging_info.yml", '{"start_command":"b"}']])));
    const second = await buildImage({ ...options, dropletPath: other }, { images, tar: tarCodec });
    expect(store.loads).toHaveLength(3);
    expect(keysOf(store.loads[2])).toEqual(["droplet/layer.tar", "config.json", "manifest.json"]);
    expect(second.diffIds.slice(0, 2)).toEqual(first.diffIds.slice(0, 2));
    expect(second.lifecycleLayerBytes).toBe(first.lifecycleLayerBytes);

    const again = await buildImage({ ...options, tags: ["x/again:1"] }, { images, tar: tarCodec });
    expect(store.loads).toHaveLength(3);
    expect(store.tags).toEqual(["x/again:1"]);
    expect(again).toMatchObject({ id: first.id, reused: true, tags: ["x/again:1"] });
  });

  it("sends the stack's layers after all when the engine lacks them", async () => {
    const store = new RecordingStore(base);
    store.failFirstLoad = new Error(
      "open /var/lib/docker/tmp/docker-import-1/base/0/layer.tar: no such file or directory",
    );
    const built = await buildImage(
      { ...options, tags: ["x/y:z"] },
      { images: store as unknown as ImageStore, tar: tarCodec },
    );
    const files = store.loads[1] as Map<string, Buffer>;
    expect(files.get("abc/layer.tar")?.toString()).toBe("base layer bytes");
    expect(manifestOf(files)).toMatchObject([{ Layers: ["abc/layer.tar", "lifecycle/layer.tar"] }]);
    expect(keysOf(store.loads[2])).toEqual(["droplet/layer.tar", "config.json", "manifest.json"]);
    expect(built.id).toBe(sha256((store.loads[2] as Map<string, Buffer>).get("config.json")));
  });

  it("streams every layer in one archive when asked to, with the same id", async () => {
    const referenced = await buildImage(options, {
      images: new RecordingStore(base) as unknown as ImageStore,
      tar: tarCodec,
    });
    const store = new RecordingStore(base);
    const built = await buildImage(
      { ...options, baseLayers: "stream" },
      { images: store as unknown as ImageStore, tar: tarCodec },
    );
    expect(store.loads).toHaveLength(1);
    expect(manifestOf(store.loads[0])).toMatchObject([
      { Layers: ["abc/layer.tar", "lifecycle/layer.tar", "droplet/layer.tar"] },
    ]);
    expect(built).toMatchObject({ id: referenced.id, baseLayers: "stream" });
  });

  it("takes the droplet layer planned ahead (restage: while uploading it), reading the droplet no more, and frees its spool", async () => {
    const images = new RecordingStore(base) as unknown as ImageStore;
    const expected = await buildImage(options, { images, tar: tarCodec });
    const droplet = join(dir, "ahead.tgz");
    await copyFile(options.dropletPath, droplet);
    const planned = await planDropletLayer(
      { ...options, dropletPath: droplet },
      { tar: tarCodec, spoolDir: dir },
    );
    const spoolDir = planned.spool?.dir ?? "";
    expect(spoolDir).not.toBe("");
    // Gone from disk: the build can only use the plan and its spool.
    await rm(droplet);
    const store = new RecordingStore(base);
    const built = await buildImage(
      { ...options, dropletPath: droplet, plannedDroplet: Promise.resolve(planned) },
      { images: store as unknown as ImageStore, tar: tarCodec },
    );
    expect(built.id).toBe(expected.id);
    expect(keysOf(store.loads.at(-1))).toEqual([
      "droplet/layer.tar",
      "config.json",
      "manifest.json",
    ]);
    await expect(access(spoolDir)).rejects.toThrow();
  });

  it("says how to get the stack image when the engine does not have it", async () => {
    const store = new RecordingStore(undefined);
    await expect(
      buildImage(options, { images: store as unknown as ImageStore, tar: tarCodec }),
    ).rejects.toThrow("The Docker image 'stack:1' does not exist in the engine");
  });
});
