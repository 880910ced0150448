/**
 * One run of each contender against the benchmark's fake CF: the baseline script and restager,
 * with the bookkeeping around them (cleanup labels, restager's TMPDIR leftovers, progress lines).
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { runBaseline } from "./baseline.js";
import type { BenchConfig } from "./bench-config.js";
import type { BenchWorld, Scenario } from "./bench-world.js";
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

export async function baseline(ctx: RunContext, standard: Scenario): Promise<number> {
  const workDir = join(ctx.root, "baseline");
  const droplets = ctx.world.cf.uploadedDroplets().length;
  const wallMs = await runBaseline({
    task: standard.task,
    workDir,
    image: ctx.config.image,
    label: ctx.labels[0]!,
    signal: ctx.signal,
    verbose: ctx.config.verbose,
  });
  await rm(workDir, { recursive: true, force: true });
  progress(`  ${(wallMs / 1000).toFixed(1)} s`);
  if (ctx.world.cf.uploadedDroplets().length !== droplets + 1) {
    throw new Error("the baseline uploaded no droplet");
  }
  return wallMs;
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
  cacheDir: string,
  buildImage = false,
): Promise<RestagerRun> {
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

export function progress(text: string): void {
  console.error(`[bench] ${text}`);
}
