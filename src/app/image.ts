/**
 * The `image` use case: a launcher image from a droplet, the lifecycle tarball and a stack image
 * (src/image/build-image.ts), pushed on request. The CLI reads the flags and prints the run.
 */
import type { PlanCache } from "../image/plan-cache.js";
import type { ImageStore } from "../container/image-store.js";
import { buildAndPush, type ImagePublishing, type ImageRun } from "./image/build-and-push.js";
import { existingFile, readResultFile } from "./image/image-inputs.js";
import type { ProgressReporter } from "./progress.js";

export type { ImagePublishing, ImageRun } from "./image/build-and-push.js";

export interface ImageOptions {
  /** The droplet .tgz, as staging uploads it. */
  dropletPath: string;
  /** buildpack_app_lifecycle.tgz (launcher, healthcheck). */
  lifecyclePath: string;
  stackImage: string;
  /** The stack's name for the label; default: from the stack image. */
  stack?: string | undefined;
  /** The staging result.json; default: the droplet's staging_info.yml. */
  resultPath?: string | undefined;
  appName?: string | undefined;
  appGuid?: string | undefined;
  taskGuid?: string | undefined;
  /** org.opencontainers.image.source and .revision. */
  source?: string | undefined;
  revision?: string | undefined;
  publishing: ImagePublishing;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export interface ImagePorts {
  images: ImageStore;
  /** Remembers image plans of unchanged files (src/image/plan-cache.ts). */
  plans?: PlanCache | undefined;
  progress: ProgressReporter;
}

/** Checks the inputs, builds the image and pushes it when asked. */
export async function runImage(options: ImageOptions, ports: ImagePorts): Promise<ImageRun> {
  const result =
    options.resultPath === undefined ? undefined : await readResultFile(options.resultPath);
  const input = {
    dropletPath: await existingFile(options.dropletPath, "--droplet"),
    lifecyclePath: await existingFile(options.lifecyclePath, "--lifecycle"),
    stackImage: options.stackImage,
    stack: options.stack,
    result,
    appName: options.appName,
    appGuid: options.appGuid,
    taskGuid: options.taskGuid,
    source: options.source,
    revision: options.revision,
  };
  const { env, signal } = options;
  return buildAndPush(input, options.publishing, { ...ports, env, signal });
}
