/**
 * The restage benchmark (issue items 1–3), against a fake Cloud Foundry:
 *
 * 1. cold restage of a 50 MB app with 9 × 20 MB buildpacks (8 fail detect, the last stages):
 *    restager with a fresh --cache-dir and its default image build vs. bench/baseline.sh doing
 *    the same work with plain tools, `docker build` included; then the same without the image
 *    on either side (restage --no-image);
 * 2. warm restage (same request, same cache dir): wall time, and bytes downloaded again for
 *    cached keys according to the fake CF's request log;
 * 3. peak RSS of restager staging a 500 MB app into a ~500 MB droplet (--no-image), and again
 *    with the image.
 *
 * Each round serves a new lifecycle and starts from no images and no dependency volumes of
 * earlier rounds, so that its cold runs are cold. Everything it creates (files, containers,
 * images, volumes, the fake CF) is removed at the end, also on failure or abort.
 */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BaselineRun } from "./baseline.js";
import type { BenchConfig } from "./bench-config.js";
import { BenchWorld, type Scenario } from "./bench-world.js";
import {
  baseline,
  clearDockerState,
  restage,
  scenario,
  warmUpEngine,
  type RunContext,
} from "./contenders.js";
import { keyedDownloads, type KeyedDownloads } from "./keyed-downloads.js";
import { progress } from "./progress.js";
import { hasImageFlag, type RestagerRun } from "./run-restager.js";

export interface RestageFigures {
  /** One entry per round. Baseline and restager both building the image: */
  baseline: BaselineRun[];
  cold: RestagerRun[];
  warm: RestagerRun[];
  /** What the fake CF served for cached keys during the cold and the warm restages. */
  coldKeyed: KeyedDownloads[];
  warmKeyed: KeyedDownloads[];
  /** Neither building an image: */
  baselineNoImage: BaselineRun[];
  coldNoImage: RestagerRun[];
  /** The big app, --no-image (peak RSS), then with the image. */
  big: RestagerRun;
  bigImage: RestagerRun;
  /** Names restager left in its TMPDIR. */
  leftovers: string[];
}

type Rounds = Omit<RestageFigures, "big" | "bigImage" | "leftovers">;

export async function runRestageSuite(
  config: BenchConfig,
  signal: AbortSignal,
): Promise<RestageFigures> {
  if (!(await hasImageFlag())) throw new Error("this build of restage cannot build images");
  const root = await mkdtemp(join(tmpdir(), "restager-bench-"));
  const labels = [`io.restager.bench=${randomUUID()}`];
  let ctx: RunContext | undefined;
  try {
    await mkdir(join(root, "blobs"));
    const world = await BenchWorld.start(join(root, "blobs"));
    ctx = { config, root, world, signal, labels, leftovers: [] };
    const rounds = await measureRounds(ctx);
    const [big, bigImage] = await measureBig(ctx);
    return { ...rounds, big, bigImage, leftovers: ctx.leftovers };
  } finally {
    await ctx?.world.close();
    if (ctx) await clearDockerState(ctx);
    await rm(root, { recursive: true, force: true });
  }
}

async function measureRounds(ctx: RunContext): Promise<Rounds> {
  const { config, world } = ctx;
  const padded = { fixture: "never", padMb: config.buildpackMb };
  const inputs = `${config.appMb} MB app, ${config.buildpackCount} × ${config.buildpackMb} MB buildpacks`;
  progress(`writing the inputs (${inputs})`);
  const standard = await scenario(ctx, {
    name: "standard",
    appMb: config.appMb,
    buildpacks: [
      ...Array.from({ length: config.buildpackCount - 1 }, () => padded),
      { fixture: "static", padMb: config.buildpackMb },
    ],
  });
  await warmUpEngine(ctx);
  const rounds: Rounds = {
    baseline: [],
    cold: [],
    warm: [],
    coldKeyed: [],
    warmKeyed: [],
    baselineNoImage: [],
    coldNoImage: [],
  };
  for (let round = 1; round <= config.rounds; round++) {
    const step = (what: string): void => progress(`round ${round} of ${config.rounds}: ${what}`);
    await renewLifecycle(ctx, standard);
    step("baseline (curl, unzip, docker cp/start, curl POST, docker build)");
    rounds.baseline.push(await baseline(ctx, standard, true));
    const cacheDir = join(ctx.root, `cache-standard-${round}`);
    step("cold restage");
    const coldMark = world.cf.requests.length;
    rounds.cold.push(await restage(ctx, standard, { cacheDir, buildImage: true }));
    rounds.coldKeyed.push(keyedDownloads(world.cf.requests.slice(coldMark), standard.keyedPaths));
    const mark = world.cf.requests.length;

    step("warm restage");
    rounds.warm.push(await restage(ctx, standard, { cacheDir, buildImage: true }));
    rounds.warmKeyed.push(keyedDownloads(world.cf.requests.slice(mark), standard.keyedPaths));
    await rm(cacheDir, { recursive: true, force: true });
    await clearDockerState(ctx);
    await renewLifecycle(ctx, standard);
    step("baseline without docker build");
    rounds.baselineNoImage.push(await baseline(ctx, standard, false));
    step("cold restage --no-image");
    rounds.coldNoImage.push(await restage(ctx, standard, { cacheDir, buildImage: false }));
    await rm(cacheDir, { recursive: true, force: true });
    await clearDockerState(ctx);
  }
  return rounds;
}

async function measureBig(ctx: RunContext): Promise<[RestagerRun, RestagerRun]> {
  progress(`writing the big app (${ctx.config.bigMb} MB)`);
  const big = await scenario(ctx, {
    name: "big",
    appMb: ctx.config.bigMb,
    buildpacks: [{ fixture: "bulky", padMb: 0 }],
  });
  progress("big restage --no-image");
  const bigRun = await restage(ctx, big, { cacheDir: join(ctx.root, "cache-big") });
  await rm(join(ctx.root, "cache-big"), { recursive: true, force: true });
  progress("big restage with the image restager builds by default");
  const bigImage = await restage(ctx, big, {
    cacheDir: join(ctx.root, "cache-big-image"),
    buildImage: true,
  });
  await rm(join(ctx.root, "cache-big-image"), { recursive: true, force: true });
  return [bigRun, bigImage];
}

/** A new lifecycle body for the next cold runs; the scenario's keyed sizes follow it. */
async function renewLifecycle(ctx: RunContext, standard: Scenario): Promise<void> {
  const lifecycle = await ctx.world.renewLifecycle();
  standard.keyedPaths.set(lifecycle.path, lifecycle.size);
}
