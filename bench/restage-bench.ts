/**
 * restager's staging benchmark (figures, not tests). In one run, against a fake Cloud Foundry:
 *
 * 1. cold restage of a 50 MB app with 9 × 20 MB buildpacks (8 fail detect, the last stages),
 *    restager with a fresh --cache-dir vs. the same work done by bench/baseline.sh;
 * 2. warm restage (same request, same cache dir): wall time, and bytes downloaded again for
 *    cached keys according to the fake CF's request log;
 * 3. peak RSS of restager staging a 500 MB app into a ~500 MB droplet (fixtures/buildpacks/bulky).
 *
 * Prints the tables and appends them, dated, to bench/results.md. Run `npm run build` first;
 * see bench/README.md. Everything it creates (files, containers, the fake CF) is removed at the
 * end, also on failure or Ctrl-C.
 */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { benchConfig } from "./lib/bench-config.js";
import { BenchWorld } from "./lib/bench-world.js";
import {
  baseline,
  progress,
  restage,
  scenario,
  warmUpEngine,
  type RunContext,
} from "./lib/contenders.js";
import { removeDockerObjects } from "./lib/docker-cleanup.js";
import { keyedDownloads } from "./lib/keyed-downloads.js";
import { describeMachine } from "./lib/machine.js";
import { checkPrerequisites } from "./lib/prerequisites.js";
import { appendResults, figuresTable, phasesTable, type BenchResults } from "./lib/report.js";
import { hasImageFlag } from "./lib/run-restager.js";

const resultsFile = resolve(fileURLToPath(new URL("results.md", import.meta.url)));
const benchLabel = "io.restager.bench";

type Measured = Pick<
  BenchResults,
  "baselineMs" | "cold" | "warm" | "warmKeyed" | "big" | "bigImage"
>;

async function main(): Promise<void> {
  const config = benchConfig(process.argv.slice(2), process.env);
  await checkPrerequisites(config);
  const controller = new AbortController();
  const interrupted = (): void => controller.abort(new Error("interrupted"));
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const root = await mkdtemp(join(tmpdir(), "restager-bench-"));
  const labels = [`${benchLabel}=${randomUUID()}`];
  let world: BenchWorld | undefined;
  try {
    const startedAt = new Date();
    const machine = await describeMachine();
    await mkdir(join(root, "blobs"));
    world = await BenchWorld.start(join(root, "blobs"));
    const ctx: RunContext = {
      config,
      root,
      world,
      signal: controller.signal,
      labels,
      leftovers: [],
    };
    const measured = await measure(ctx);
    const results: BenchResults = {
      config,
      machine,
      startedAt,
      ...measured,
      leftovers: ctx.leftovers,
    };
    console.log(`\n${figuresTable(results)}\n\n${phasesTable(results)}\n`);
    if (config.record) {
      await appendResults(resultsFile, results);
      console.log(`Appended to ${resultsFile}`);
    }
  } catch (error) {
    throw controller.signal.aborted ? new Error("interrupted") : error;
  } finally {
    await world?.close();
    const removed = await removeDockerObjects(labels);
    if (removed.containers > 0) progress(`removed ${removed.containers} leftover container(s)`);
    await rm(root, { recursive: true, force: true });
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}

async function measure(ctx: RunContext): Promise<Measured> {
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
  const rounds: Omit<Measured, "big" | "bigImage"> = {
    baselineMs: [],
    cold: [],
    warm: [],
    warmKeyed: [],
  };
  for (let round = 1; round <= config.rounds; round++) {
    progress(
      `round ${round} of ${config.rounds}: baseline (curl, unzip, docker cp/start, curl POST)`,
    );
    rounds.baselineMs.push(await baseline(ctx, standard));
    const cacheDir = join(ctx.root, `cache-standard-${round}`);
    progress(`round ${round} of ${config.rounds}: cold restage`);
    rounds.cold.push(await restage(ctx, standard, cacheDir));
    const mark = world.cf.requests.length;
    progress(`round ${round} of ${config.rounds}: warm restage`);
    rounds.warm.push(await restage(ctx, standard, cacheDir));
    rounds.warmKeyed.push(keyedDownloads(world.cf.requests.slice(mark), standard.keyedPaths));
    await rm(cacheDir, { recursive: true, force: true });
  }
  progress(`writing the big app (${config.bigMb} MB)`);
  const big = await scenario(ctx, {
    name: "big",
    appMb: config.bigMb,
    buildpacks: [{ fixture: "bulky", padMb: 0 }],
  });
  progress("big restage");
  const bigRun = await restage(ctx, big, join(ctx.root, "cache-big"));
  await rm(join(ctx.root, "cache-big"), { recursive: true, force: true });
  if (!(await hasImageFlag())) return { ...rounds, big: bigRun };
  progress("big restage with the image restager builds by default");
  const bigImage = await restage(ctx, big, join(ctx.root, "cache-big-image"), true);
  return { ...rounds, big: bigRun, bigImage };
}

main().catch((error: unknown) => {
  console.error(`[bench] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
