/**
 * One run of each contender against the benchmark's fake CF: the baseline script and restager,
 * with the bookkeeping around them (cleanup labels, restager's TMPDIR leftovers, progress lines).
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { runBaseline, type BaselineRun } from "./baseline.js";
import type { BenchConfig } from "./bench-config.js";
import type { BenchWorld, Scenario } from "./bench-world.js";
import { removeDependencyVolumes } from "./dependency-volumes.js";
import { removeDockerObjects } from "./docker-cleanup.js";
import { progress } from "./progress.js";
import { checkSuccess, runProcess } from "./run-process.js";
import { runRestager, type RestagerRun } from "./run-restager.js";

export interface RunContext {
  config: BenchConfig;
  root: string;
  world: BenchWorld;
  signal: AbortSignal;
  /** Docker label filters that find every container this run made. */
  labels: string[];
  /** Names restager left in its TMPDIR (should stay empty). */
  leftovers: string[];
}

/** bench/baseline.sh on the scenario's task; with `buildImage`, ending in `docker build`. */
export async function baseline(
  ctx: RunContext,
  standard: Scenario,
  buildImage: boolean,
): Promise<BaselineRun> {
  const workDir = join(ctx.root, "baseline");
  const droplets = ctx.world.cf.uploadedDroplets().length;
  const tag = `restager-bench/baseline-${standard.appGuid.slice(0, 8)}:latest`;
  const run = await runBaseline({
    task: standard.task,
    workDir,
    image: ctx.config.image,
    label: ctx.labels[0]!,
    imageTag: buildImage ? tag : undefined,
    signal: ctx.signal,
    verbose: ctx.config.verbose,
  });
  await rm(workDir, { recursive: true, force: true });
  const built = buildImage ? ` (docker build ${(run.buildMs / 1000).toFixed(1)} s)` : "";
  progress(`  ${(run.wallMs / 1000).toFixed(1)} s${built}`);
  if (ctx.world.cf.uploadedDroplets().length !== droplets + 1) {
    throw new Error("the baseline uploaded no droplet");
  }
  return run;
}

/**
 * Removes the images (restager's and the baseline's) and the dependency volumes the run made so
 * far, so that the next cold restage finds nothing of them.
 */
export async function clearDockerState(ctx: RunContext): Promise<void> {
  await removeDockerObjects(ctx.labels);
  await removeDependencyVolumes(ctx.world.served);
}

export async function scenario(
  ctx: RunContext,
  spec: Parameters<BenchWorld["scenario"]>[0],
): Promise<Scenario> {
  const made = await ctx.world.scenario(spec);
  ctx.labels.push(`io.restager.app-guid=${made.appGuid}`);
  return made;
}

export async function restage(
  ctx: RunContext,
  scenario: Scenario,
  cache: { cacheDir: string; buildImage?: boolean },
): Promise<RestagerRun> {
  const { cacheDir, buildImage = false } = cache;
  const [cwd, tmpDir] = [join(ctx.root, "cwd"), join(ctx.root, "restager-tmp")];
  await Promise.all([mkdir(cwd, { recursive: true }), mkdir(tmpDir, { recursive: true })]);
  const run = await runRestager({
    taskFile: scenario.taskFile,
    cacheDir,
    cwd,
    tmpDir,
    image: ctx.config.image,
    buildImage,
    signal: ctx.signal,
    verbose: ctx.config.verbose,
  });
  progress(`  ${(run.wallMs / 1000).toFixed(1)} s`);
  const leftovers = await readdir(tmpDir);
  if (leftovers.length > 0) {
    ctx.leftovers.push(...leftovers);
    progress(`  restager left ${leftovers.join(", ")} in its TMPDIR`);
    await rm(tmpDir, { recursive: true, force: true });
  }
  return run;
}

/** One throwaway container first, so neither contender pays for a cold image. */
export async function warmUpEngine(ctx: RunContext): Promise<void> {
  const args = ["run", "--rm", "--label", ctx.labels[0]!, ctx.config.image, "true"];
  checkSuccess("docker run (warm-up)", await runProcess("docker", args, { signal: ctx.signal }));
}
