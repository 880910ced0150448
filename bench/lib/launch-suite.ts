/**
 * How long `restager launch` takes to get an app answering, against the app's own start time
 * (issue item 5).
 *
 * For one fixture app (hello-shell: bash + busybox httpd, behind the fixture launcher) it runs,
 * BENCH_LAUNCH_RUNS times each (default 5), alternating:
 *  - baseline: create + start the launcher image directly (its own entrypoint, the LRP's env
 *    and limits: CPU shares, memory, nofile; one published port) and poll until the app
 *    answers 200: the app's own start time in a plain container;
 *  - launch: spawn the built CLI (`restager launch lrp.json --publish PORT:8080`) and poll the
 *    same way from the moment it is spawned; also note when the CLI returned (it runs the
 *    health check itself, docker exec, until it passes).
 * Medians: overhead = launch-to-first-answer − app start; gate = CLI return − first answer;
 * returned after app start = CLI return − app start (goal ≤ 500 ms). The LRP names the
 * image's droplet by its sha256, so launch finds the image by label, as after a restage.
 * Needs `npm run build` and the stack image. The image and containers are removed at the end.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { buildDesiredLrp } from "../../test/kit/fake-cf/desired-lrp.js";
import type { FakeCfEndpoints } from "../../test/kit/fake-cf/fake-cf-options.js";
import { buildLaunchImage, removeImages } from "../../test/kit/launch-images.js";
import type { BenchConfig } from "./bench-config.js";
import { cpuSharesFor } from "../../src/diego/cpu-shares.js";
import {
  baselineStart,
  launchStart,
  launchApp,
  launcherEnv,
  type AppLimits,
} from "./launch-runs.js";
import { median } from "./markdown-table.js";
import { progress } from "./progress.js";

export interface LaunchFigures {
  runs: number;
  appStartMs: number;
  launchToFirstAnswerMs: number;
  overheadMs: number;
  launchReturnedMs: number;
  healthGateMs: number;
  /** CLI return − the app's own start, medians (goal ≤ 500 ms). */
  returnedAfterAppStartMs: number;
  samples: { app: number[]; answer: number[]; returned: number[] };
}

export async function runLaunchSuite(
  config: BenchConfig,
  signal: AbortSignal,
): Promise<LaunchFigures> {
  const dir = await mkdtemp(join(tmpdir(), "restager-launch-bench-"));
  const image = `restager-bench/hello:${process.pid}`;
  try {
    progress("building the hello-shell launcher image");
    await buildLaunchImage({
      app: "hello-shell",
      buildpacks: ["shell"],
      skipDetect: true,
      ...launchApp,
      tag: image,
      labels: { "io.restager.bench": `launch-${process.pid}` },
    });
    const labels = (await new Docker().getImage(image).inspect()).Config.Labels ?? {};
    const lrp = benchLrp(labels["io.restager.droplet-sha256"] ?? "");
    const lrpFile = join(dir, "lrp.json");
    await writeFile(lrpFile, JSON.stringify(lrp));
    const app = { env: launcherEnv(lrp), limits: appLimits(lrp) };
    await baselineStart(image, app); // warm-up: page cache, image layers
    const samples: LaunchFigures["samples"] = { app: [], answer: [], returned: [] };
    for (let i = 1; i <= config.launchRuns; i++) {
      signal.throwIfAborted();
      progress(`launch run ${i} of ${config.launchRuns}`);
      samples.app.push(await baselineStart(image, app));
      const { answerMs, returnMs } = await launchStart(lrpFile);
      samples.answer.push(answerMs);
      samples.returned.push(returnMs);
    }
    return summarise(config.launchRuns, samples);
  } finally {
    await removeImages([image]);
    await rm(dir, { recursive: true, force: true });
  }
}

/** What `launch` gives the instance (src/launch/app-plan.ts), for the baseline. */
function appLimits(lrp: Record<string, unknown>): AppLimits {
  return {
    cpuShares: cpuSharesFor(Number(lrp.cpu_weight ?? 0)) ?? 0,
    memoryBytes: Number(lrp.memory_mb) * 1024 * 1024,
    nofile: 16_384,
  };
}

function benchLrp(dropletSha256: string): Record<string, unknown> {
  return buildDesiredLrp({
    endpoints: {} as FakeCfEndpoints,
    lifecycleUrl: "http://file-server.invalid/lifecycle.tgz",
    dropletUrl: "http://cc.invalid/droplet",
    startCommand: "",
    memoryMb: 128,
    healthCheck: { type: "http", endpoint: "/" },
    dropletSha256,
    ...launchApp,
  });
}

function summarise(runs: number, samples: LaunchFigures["samples"]): LaunchFigures {
  const round = (values: number[]): number[] => values.map(Math.round);
  return {
    runs,
    appStartMs: Math.round(median(samples.app)),
    launchToFirstAnswerMs: Math.round(median(samples.answer)),
    overheadMs: Math.round(median(samples.answer) - median(samples.app)),
    launchReturnedMs: Math.round(median(samples.returned)),
    healthGateMs: Math.round(median(samples.returned) - median(samples.answer)),
    returnedAfterAppStartMs: Math.round(median(samples.returned) - median(samples.app)),
    samples: {
      app: round(samples.app),
      answer: round(samples.answer),
      returned: round(samples.returned),
    },
  };
}
