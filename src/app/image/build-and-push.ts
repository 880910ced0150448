/** Builds (and on request pushes) a launcher image, for `restage` and `image`, with progress. */
import { tarCodec } from "../../archive/tar-codec.js";
import type { ImageStore } from "../../container/image-store.js";
import { registryHost } from "../../container/registry-errors.js";
import {
  buildImage,
  planDropletLayer,
  type BuildImageOptions,
  type BuiltImage,
} from "../../image/build-image.js";
import { loadDropletCarrier, type DropletCarrier } from "../../image/droplet-carrier.js";
import type { FileDigests, PlannedLayer } from "../../image/planned-layer.js";
import { imageTime } from "../../image/image-time.js";
import type { PlanCache } from "../../image/plan-cache.js";
import { defaultTags, normalizeRegistry, normalizeTag } from "../../image/image-tags.js";
import { pushBuiltImage, type PushedImage } from "../../image/push-image.js";
import { registryCredentials } from "../../image/registry-auth.js";
import type { ProgressReporter } from "../progress.js";

export type ImageInput = Omit<BuildImageOptions, "tags" | "time" | "signal">;

/** How the image is named and where it goes (the image flags `restage` and `image` share). */
export interface ImagePublishing {
  /** Names as given (`[HOST[:PORT]/]NAME[:TAG]`); default restager/<app>:<md5 prefix>, :latest. */
  tags?: readonly string[] | undefined;
  push?: boolean | undefined;
  /** `HOST[:PORT]` put in front of every name when pushing. */
  registry?: string | undefined;
  registryUser?: string | undefined;
  /** The registry password (read from stdin by the CLI). */
  password?: string | undefined;
  insecureRegistry?: boolean | undefined;
}

export interface ImageRun {
  built: BuiltImage;
  pushed?: PushedImage | undefined;
  buildMs: number;
  pushMs?: number | undefined;
}

export interface ImageContext {
  images: ImageStore;
  /** Remembers image plans of unchanged files (src/image/plan-cache.ts); none: plan anew. */
  plans?: PlanCache | undefined;
  progress: ProgressReporter;
  /** SOURCE_DATE_EPOCH (the image time), DOCKER_CONFIG (registry credentials). */
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export async function buildAndPush(
  input: ImageInput,
  publishing: ImagePublishing,
  context: ImageContext,
): Promise<ImageRun> {
  const { signal, env } = context;
  // Checked before the build, so a bad name fails at once.
  const { registry, tags } = publishedNames(publishing);
  const hooks = imageHooks(context, input.appName ?? input.appGuid);
  const started = performance.now();
  const built = await buildImage({ ...input, tags, time: imageTime(env), signal }, hooks);
  return publish(
    { built, buildMs: performance.now() - started },
    { ...publishing, registry },
    {
      ...context,
      hooks,
    },
  );
}

/**
 * An image built ahead under a temporary name (restage builds it while the droplet is still
 * being uploaded, droplet-ahead.ts): given its names now, then pushed like buildAndPush's.
 */
export async function nameBuiltAhead(
  built: BuiltImage,
  publishing: ImagePublishing,
  context: ImageContext,
): Promise<ImageRun> {
  const names = publishedNames(publishing);
  const { registry } = names;
  const tags = names.tags ?? defaultTags(built.metadata.appName, built.metadata.dropletMd5Hex);
  const started = performance.now();
  for (const tag of tags) await context.images.tag(built.id, tag);
  const hooks = imageHooks(context, built.metadata.appName ?? built.metadata.appGuid);
  const named = { built: { ...built, tags }, buildMs: performance.now() - started };
  return publish(named, { ...publishing, registry }, { ...context, hooks });
}

/** The registry and the `--tag` names, normalized (UsageError on a bad one); undefined: none. */
function publishedNames(publishing: ImagePublishing): {
  registry: string | undefined;
  tags: string[] | undefined;
} {
  const registry =
    publishing.registry === undefined ? undefined : normalizeRegistry(publishing.registry);
  const tags = publishing.tags?.length ? publishing.tags.map(normalizeTag) : undefined;
  return { registry, tags };
}

/** The engine, codec and progress an image build and push report through, named by app. */
function imageHooks(context: ImageContext, app: string | undefined) {
  const { progress } = context;
  const label = app ?? "image";
  return {
    images: context.images,
    plans: context.plans,
    tar: tarCodec,
    onPhase: (phase: string) => progress.phase(`${label}: ${phase}`),
    onProgress: (event: Parameters<ProgressReporter["progress"]>[0]) => progress.progress(event),
  };
}

/** Pushes the image when asked (`publishing.registry` normalized). */
async function publish(
  run: ImageRun,
  publishing: ImagePublishing,
  context: ImageContext & { hooks: Parameters<typeof pushBuiltImage>[1] },
): Promise<ImageRun> {
  if (publishing.push === true) {
    const pushStarted = performance.now();
    run.pushed = await push(run.built, publishing, context);
    run.pushMs = performance.now() - pushStarted;
  }
  context.progress.idle();
  return run;
}

/**
 * Starts planning a droplet's layer (reading it), for a buildAndPush of the same droplet later
 * (ImageInput.plannedDroplet): restage does it while the droplet is still being uploaded.
 */
export function planDropletAhead(
  droplet: { path: string; digests: FileDigests },
  context: Pick<ImageContext, "plans" | "env" | "signal">,
): Promise<PlannedLayer> {
  const { plans, env, signal } = context;
  return planDropletLayer(
    { dropletPath: droplet.path, dropletDigests: droplet.digests, time: imageTime(env), signal },
    { plans, tar: tarCodec },
  );
}

/**
 * Loads a droplet layer planned ahead into the engine (droplet-carrier.ts), for a buildAndPush
 * of the same droplet later (ImageInput.carrier): restage does it while the droplet is still
 * being uploaded. The caller removes the carrier once that image is built.
 */
export async function loadCarrierAhead(
  input: { stackImage: string; lifecyclePath: string; droplet: PlannedLayer },
  context: Pick<ImageContext, "images" | "plans" | "env" | "signal"> & {
    labels: Record<string, string>;
  },
): Promise<DropletCarrier | undefined> {
  const { images, plans, env, signal, labels } = context;
  return loadDropletCarrier(
    { ...input, time: imageTime(env), labels, signal },
    { images, plans, tar: tarCodec },
  );
}

/** `publishing.registry` is normalized. */
async function push(
  built: BuiltImage,
  publishing: ImagePublishing,
  context: ImageContext & { hooks: Parameters<typeof pushBuiltImage>[1] },
): Promise<PushedImage> {
  const { registry } = publishing;
  const credentials = await registryCredentials({
    registry: registry ?? registryHost(built.tags[0] ?? ""),
    user: publishing.registryUser,
    password: publishing.password,
    env: context.env,
  });
  if (credentials.note) context.progress.warn(credentials.note);
  return pushBuiltImage(
    {
      id: built.id,
      tags: built.tags,
      registry,
      auth: credentials.auth,
      insecureRegistry: publishing.insecureRegistry,
      signal: context.signal,
    },
    context.hooks,
  );
}
