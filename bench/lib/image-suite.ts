/**
 * The launcher image benchmark (issue item 4): build time and image size against droplet size,
 * and what a rebuild on the same stack and lifecycle adds.
 *
 * For each droplet size: a droplet like a builder's (`tar -czf droplet -C contents .`) holding
 * random bytes (incompressible, the worst case) plus 2,000 small files, built into an image with
 * the build use case against the real engine. Then a second droplet of the same size on the
 * same stack and lifecycle: how many layers it shares with the first, and the build time; then
 * the first droplet again (same id, nothing new stored). Every image it makes is removed at the end.
 *
 * The floor (issue 14): the engine's own ingest of the second droplet's layer alone — the exact
 * layer tar restager streams, written to a file first, then `docker import FILE` timed — in the
 * same run, right after the rebuild it is compared with. Then issue 14's goal 5 on a big droplet
 * (BENCH_BIG_MB): the CLI in a cold process against `tar -czf` and `docker import`
 * (image-throughput.ts).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { c as createTar } from "tar";
import { tarCodec } from "../../src/archive/tar-codec.js";
import { DockerImageStore } from "../../src/container/docker-image-store.js";
import { buildImage, type BuiltImage } from "../../src/image/build-image.js";
import { DirectoryPlanCache } from "../../src/image/plan-cache.js";
import { defaultImageTime } from "../../src/image/image-time.js";
import { dropletSpec, LayerStream, planFileLayer } from "../../src/image/planned-layer.js";
import { buildLifecycleTgz } from "../../test/kit/fixture-blobs.js";
import type { BenchConfig } from "./bench-config.js";
import { MB } from "./bench-blobs.js";
import { measureThroughput, type ThroughputFigures } from "./image-throughput.js";
import { progress } from "./progress.js";
import { checkSuccess, runProcess } from "./run-process.js";

export interface TimedBuild {
  built: BuiltImage;
  ms: number;
}

export interface ImageRow {
  dropletMb: number;
  first: TimedBuild;
  second: TimedBuild;
  again: TimedBuild;
  /** The first droplet again with the stack's layers streamed instead of referenced (≤ 10 MB). */
  streamedMs?: number | undefined;
  /** `docker import` of the second droplet's layer tar (the floor of the rebuild). */
  importMs: number;
}

export interface ImageFigures {
  stackImage: string;
  stackBytes: number;
  rows: ImageRow[];
  /** The big droplet through the CLI against tar and docker import (none: BENCH_BIG_MB=0). */
  throughput?: ThroughputFigures | undefined;
}

interface Build {
  images: DockerImageStore;
  plans: DirectoryPlanCache;
  repository: string;
  stackImage: string;
  lifecycle: string;
  signal: AbortSignal;
}

export async function runImageSuite(
  config: BenchConfig,
  signal: AbortSignal,
): Promise<ImageFigures> {
  const images = new DockerImageStore();
  const stack = await images.inspect(config.image);
  if (!stack) throw new Error(`${config.image} is missing: run 'npm run setup'`);
  const dir = await mkdtemp(join(tmpdir(), "restager-image-bench-"));
  const repository = `restager-bench/image-${randomUUID().slice(0, 8)}`;
  const rows: ImageRow[] = [];
  let throughput: ThroughputFigures | undefined;
  try {
    const lifecycle = (await buildLifecycleTgz(dir)).path;
    const plans = new DirectoryPlanCache(join(dir, "image-plans"));
    const build: Build = {
      images,
      plans,
      repository,
      stackImage: config.image,
      lifecycle,
      signal,
    };
    await timedBuild(build, await writeDroplet(dir, "warmup", 1), { tag: "warmup" });
    for (const mb of config.imageMb) {
      progress(`image builds of a ${mb} MB droplet`);
      rows.push(await measure(build, dir, { mb, withStream: mb <= 10 }));
    }
    if (config.bigMb > 0) {
      progress(`a ${config.bigMb} MB droplet: restager image, tar -czf, docker import`);
      throughput = await measureThroughput({
        dir,
        mb: config.bigMb,
        stackImage: config.image,
        lifecycle,
        repository,
        images,
        writeContents,
        writeLayer,
        signal,
        verbose: config.verbose,
      });
    }
  } finally {
    await cleanUp(images, repository);
    await rm(dir, { recursive: true, force: true });
  }
  return { stackImage: config.image, stackBytes: stack.sizeBytes, rows, throughput };
}

async function writeDroplet(dir: string, name: string, mb: number): Promise<string> {
  const root = join(dir, name);
  await writeContents(root, mb);
  const file = join(dir, `${name}.tgz`);
  await createTar({ gzip: true, file, cwd: root, portable: true }, ["."]);
  await rm(root, { recursive: true, force: true });
  return file;
}

/** A droplet's contents like a builder's: `mb` MB of random bytes, 2,000 small files. */
async function writeContents(root: string, mb: number): Promise<void> {
  await mkdir(join(root, "app", "node_modules"), { recursive: true });
  await mkdir(join(root, "deps", "0"), { recursive: true });
  const chunk = Math.min(mb * MB, 16 * MB);
  for (let written = 0, part = 0; written < mb * MB; written += chunk, part++) {
    const bytes = randomBytes(Math.min(chunk, mb * MB - written));
    await writeFile(join(root, "app", `blob-${part}.bin`), bytes);
  }
  for (let i = 0; i < 2000; i++) {
    const module = `module.exports = ${i};\n`.repeat(20);
    await writeFile(join(root, "app", "node_modules", `m${i}.js`), module);
  }
  const info = '{"detected_buildpack":"bench","start_command":"sleep 1"}';
  await writeFile(join(root, "staging_info.yml"), info);
}

async function timedBuild(
  build: Build,
  droplet: string,
  as: { tag: string; stream?: boolean },
): Promise<TimedBuild> {
  const { tag, stream = false } = as;
  const started = performance.now();
  const built = await buildImage(
    {
      dropletPath: droplet,
      lifecyclePath: build.lifecycle,
      stackImage: build.stackImage,
      appName: "bench",
      tags: [`${build.repository}:${tag}`],
      time: defaultImageTime,
      baseLayers: stream ? "stream" : "reference",
      signal: build.signal,
    },
    { images: build.images, plans: build.plans, tar: tarCodec },
  );
  return { built, ms: performance.now() - started };
}

async function measure(build: Build, dir: string, droplet: { mb: number; withStream: boolean }) {
  const { mb, withStream } = droplet;
  const a = await writeDroplet(dir, `a-${mb}`, mb);
  const b = await writeDroplet(dir, `b-${mb}`, mb);
  const first = await timedBuild(build, a, { tag: `${mb}mb-a` });
  const second = await timedBuild(build, b, { tag: `${mb}mb-b` });
  const importMs = await importFloor(build, b, join(dir, `b-${mb}.layer.tar`));
  // Same droplet again: the median of three (each only tags; a busy moment skews one).
  const agains: TimedBuild[] = [];
  for (let i = 0; i < 3; i++)
    agains.push(await timedBuild(build, a, { tag: `${mb}mb-a-again${i}` }));
  agains.sort((x, y) => x.ms - y.ms);
  const again = agains[1] as TimedBuild;
  const streamedMs = withStream
    ? (await timedBuild(build, a, { tag: `${mb}mb-a-streamed`, stream: true })).ms
    : undefined;
  await rm(a);
  await rm(b);
  return { dropletMb: mb, first, second, again, streamedMs, importMs };
}

/** Writes the droplet's layer tar (as restager streams it), then times `docker import` of it. */
async function importFloor(build: Build, droplet: string, layerPath: string): Promise<number> {
  await writeLayer(droplet, layerPath);
  const tag = `${build.repository}:import-floor`;
  const args = ["import", "--change", "LABEL io.restager.managed=true", layerPath, tag];
  const result = checkSuccess(
    "docker import",
    await runProcess("docker", args, { signal: build.signal }),
  );
  await build.images.untag(tag);
  await rm(layerPath);
  return result.wallMs;
}

/** The droplet's layer tar, as restager loads it, written to `layerPath`. */
async function writeLayer(droplet: string, layerPath: string): Promise<void> {
  const planned = await planFileLayer("droplet", droplet, {
    spec: dropletSpec(defaultImageTime, tarCodec),
  });
  const layer = new LayerStream(planned, "layer.tar");
  await pipeline(
    Readable.from(layer.entry().content as AsyncIterable<Buffer>),
    createWriteStream(layerPath),
  );
}

/** Layers of `second` equal to `first`'s at the same position (the stack's and lifecycle's). */
export function sharedLayers(row: ImageRow): number {
  const { first, second } = row;
  return first.built.diffIds.filter((id, i) => second.built.diffIds[i] === id).length;
}

async function cleanUp(images: DockerImageStore, repository: string): Promise<void> {
  for (const image of await images.findImages("io.restager.managed", "true")) {
    for (const tag of image.repoTags.filter((t) => t.startsWith(`${repository}:`))) {
      await images.untag(tag);
    }
  }
}
