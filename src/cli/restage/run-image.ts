/** Builds (and on request pushes) a launcher image for `restage` and `image`, with progress. */
import { join } from "node:path";
import { DockerImageStore } from "../../container/docker-image-store.js";
import { registryHost } from "../../container/registry-errors.js";
import { defaultCacheDir } from "../../http/default-cache-dir.js";
import { DirectoryPlanCache, planCacheDirName } from "../../image/plan-cache.js";
import { buildImage, type BuildImageOptions, type BuiltImage } from "../../image/build-image.js";
import { imageTime } from "../../image/image-time.js";
import { normalizeRegistry, normalizeTag } from "../../image/image-tags.js";
import { pushBuiltImage, type PushedImage } from "../../image/push-image.js";
import { registryCredentials } from "../../image/registry-auth.js";
import type { Output } from "../output.js";
import type { StatusLine } from "../status-line.js";
import type { ImageFlags } from "./image-flags.js";

export type ImageInput = Omit<BuildImageOptions, "tags" | "time" | "signal">;

export interface ImageRun {
  built: BuiltImage;
  pushed?: PushedImage | undefined;
  buildMs: number;
  pushMs?: number | undefined;
}

export interface ImageRunContext {
  output: Output;
  status: StatusLine;
  /** The password read for --registry-password-stdin. */
  password?: string | undefined;
  /** Where image plans are remembered (plan-cache.ts); default: restager's cache dir. */
  cacheDir?: string | undefined;
  signal: AbortSignal;
}

export async function runImage(
  input: ImageInput,
  flags: ImageFlags,
  context: ImageRunContext,
): Promise<ImageRun> {
  const { output, status, signal } = context;
  const images = new DockerImageStore({ env: output.env });
  const registry = flags.registry === undefined ? undefined : normalizeRegistry(flags.registry);
  const tags = flags.tag?.length ? flags.tag.map(normalizeTag) : undefined;
  const label = input.appName ?? input.appGuid ?? "image";
  const cacheDir = context.cacheDir ?? defaultCacheDir(output.env);
  const hooks = {
    images,
    plans: new DirectoryPlanCache(join(cacheDir, planCacheDirName)),
    onPhase: (phase: string) => status.phase(`${label}: ${phase}`),
    onProgress: (event: Parameters<StatusLine["onProgress"]>[0]) => status.onProgress(event),
  };
  const started = performance.now();
  const built = await buildImage({ ...input, tags, time: imageTime(output.env), signal }, hooks);
  const run: ImageRun = { built, buildMs: performance.now() - started };
  if (flags.push === true) {
    const pushStarted = performance.now();
    const host = registry ?? registryHost(built.tags[0] ?? "");
    const credentials = await registryCredentials({
      registry: host,
      user: flags.registryUser,
      password: context.password,
      env: output.env,
    });
    if (credentials.note) status.above(() => output.warn(credentials.note ?? ""));
    run.pushed = await pushBuiltImage(
      {
        id: built.id,
        tags: built.tags,
        registry,
        auth: credentials.auth,
        insecureRegistry: flags.insecureRegistry,
        signal,
      },
      hooks,
    );
    run.pushMs = performance.now() - pushStarted;
  }
  status.stop();
  return run;
}
