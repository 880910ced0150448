/**
 * The composition root of `image`: the Docker image store, signals turned into an abort, the
 * use case (src/app/image.ts), and the printed run.
 */
import { runImage, type ImageOptions } from "../../app/image.js";
import { DockerImageStore } from "../../container/docker-image-store.js";
import type { Output } from "../output.js";
import { interruptSignal } from "../interrupt-signal.js";
import { imageJson, printImage } from "../report-image.js";
import { statusReporter } from "../status-reporter.js";
import { join } from "node:path";
import { DirectoryPlanCache, planCacheDirName } from "../../image/plan-cache.js";
import { defaultCacheDir } from "../../http/default-cache-dir.js";

/** Builds (and pushes) the image on the local engine and prints what was made. */
export async function imageOnDocker(
  output: Output,
  options: Omit<ImageOptions, "env" | "signal">,
): Promise<void> {
  const interrupt = interruptSignal();
  const status = await output.statusLine();
  try {
    const run = await runImage(
      { ...options, env: output.env, signal: interrupt.signal },
      {
        images: new DockerImageStore({ env: output.env }),
        plans: new DirectoryPlanCache(join(defaultCacheDir(output.env), planCacheDirName)),
        progress: statusReporter(output, status),
      },
    );
    printImage(output, run);
    output.result(output.json ? JSON.stringify(imageJson(run), null, 2) : run.built.id);
  } finally {
    status.stop();
    interrupt.dispose();
  }
}
