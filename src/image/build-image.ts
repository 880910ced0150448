/**
 * Builds the launcher image of a droplet: the stack image, the lifecycle in /tmp/lifecycle and
 * the droplet in /home/vcap, written by restager itself (the engine's legacy builder stamps the
 * current time, so its images are never reproducible) and streamed into `POST /images/load`.
 * Same droplet, lifecycle, stack and time → same image id. The lifecycle travels once, in a
 * base image keyed by the stack and lifecycle (lifecycle-base.ts), so a rebuild streams only the
 * droplet layer; and since the droplet layer's diffID is computed while it is planned, the image
 * id is known first: when the engine already has that image, it is only tagged. A new droplet is
 * read once: planning writes its layer to a spool file that the load then copies (layer-spool.ts);
 * a droplet the plan cache knows is not read before the engine is asked for its image.
 */
import type { TarCodec } from "../archive/ports.js";
import type { ImageInfo, ImageStore } from "../container/image-store.js";
import { ImageMissingError } from "../container/image-missing-error.js";
import { isMissingBaseLayer, type BaseLayerMode } from "./base-layers.js";
import { buildMetadata, type AppFacts } from "./build-metadata.js";
import { buildImageConfig, type ImageConfig } from "./image-config.js";
import { ImageIdMismatchError } from "./image-errors.js";
import type { ImageMetadata } from "./image-metadata.js";
import { defaultTags } from "./image-tags.js";
import { layerProgress } from "./layer-progress.js";
import { dropletLayerPath, type DropletCarrier } from "./droplet-carrier.js";
import {
  ensureLifecycleBase,
  lifecycleFacts,
  lifecycleHistory,
  type LifecycleFile,
  type LifecycleLayerFacts,
} from "./lifecycle-base.js";
import { loadLayers, ReferencedLayer, type LoadRequest } from "./load-layers.js";
import { planFileLayerCached, type PlanCache } from "./plan-cache.js";
import {
  dropletSpec,
  LayerStream,
  lifecycleSpec,
  planFileLayer,
  stagingInfoPath,
  type FileDigests,
  type PlannedLayer,
} from "./planned-layer.js";
import { throwIfCancelled } from "../core/cancellation.js";
import type { ProgressEvent } from "../core/events.js";

export interface BuildImageOptions extends AppFacts {
  dropletPath: string;
  lifecyclePath: string;
  /** Full names (`repo:tag`); default `restager/<app>:<md5 prefix>` and `:latest`. */
  tags?: string[] | undefined;
  /** Extra env after PORT=8080 (e.g. the task's LANG). */
  env?: string[] | undefined;
  labels?: Record<string, string> | undefined;
  time: Date;
  /** The droplet's size and digests when known (restage hashed it while uploading it). */
  dropletDigests?: FileDigests | undefined;
  /**
   * The droplet's layer planned ahead (planDropletLayer with the same droplet, digests and
   * time: restage starts it while the droplet is uploaded); its spool is released here.
   */
  plannedDroplet?: Promise<PlannedLayer> | undefined;
  /**
   * The droplet's layer loaded ahead in a carrier image (droplet-carrier.ts; restage loads it
   * while the droplet is uploaded): when it holds this droplet's layer, the image references
   * the layer instead of streaming it. The caller removes the carrier afterwards.
   */
  carrier?: Promise<DropletCarrier | undefined> | undefined;
  /** How the stack's layers travel; default "reference", falling back to "stream". */
  baseLayers?: BaseLayerMode | undefined;
  signal?: AbortSignal | undefined;
}

export interface BuildImageDeps {
  images: ImageStore;
  /** The tar format (src/archive/tar-codec.ts). */
  tar: TarCodec;
  onPhase?: ((phase: string) => void) | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** Plan facts of droplets and lifecycles built before (plan-cache.ts); none: plan each. */
  plans?: PlanCache | undefined;
  /** Where a new droplet's layer is spooled while it is read (layer-spool.ts); default TMPDIR. */
  spoolDir?: string | undefined;
}

export interface BuiltImage {
  id: string;
  tags: string[];
  metadata: ImageMetadata;
  /** The image's size in the engine (all layers, uncompressed). */
  sizeBytes: number;
  dropletFileBytes: number;
  /** Uncompressed sizes of the two added layers. */
  lifecycleLayerBytes: number;
  dropletLayerBytes: number;
  diffIds: string[];
  baseLayers: BaseLayerMode;
  /** Whether the engine already had the image: it was only tagged, nothing was loaded. */
  reused: boolean;
}

export async function buildImage(
  options: BuildImageOptions,
  deps: BuildImageDeps,
): Promise<BuiltImage> {
  const { images, onPhase } = deps;
  let stack: ImageInfo;
  try {
    const found = await images.inspect(options.stackImage, options.signal);
    if (!found) throw new ImageMissingError(options.stackImage);
    stack = found;
  } catch (error) {
    await releasePlanned(options.plannedDroplet);
    throw error;
  }
  onPhase?.("reading the droplet and the lifecycle");
  const { droplet, lifecycle } = await planInputs(options, deps);
  try {
    return await buildPlanned(options, deps, { stack, droplet, lifecycle });
  } finally {
    await droplet.spool?.release();
  }
}

/**
 * The droplet's layer: planned (and spooled while it is read, unless the plan cache knew it), the
 * droplet read once. Exported so that restage can start it while it uploads the droplet, and
 * hand the promise to buildImage (BuildImageOptions.plannedDroplet).
 */
export function planDropletLayer(
  options: Pick<BuildImageOptions, "dropletPath" | "dropletDigests" | "time" | "signal">,
  deps: Pick<BuildImageDeps, "plans" | "tar" | "spoolDir">,
): Promise<PlannedLayer> {
  return planFileLayerCached(
    deps.plans,
    { what: "droplet", file: options.dropletPath, spec: dropletSpec(options.time, deps.tar) },
    {
      capture: [stagingInfoPath],
      spool: deps.spoolDir ?? true,
      digests: options.dropletDigests,
      signal: options.signal,
    },
  );
}

/** Releases the spool of a droplet layer planned ahead, whatever became of the planning. */
export async function releasePlanned(planned: Promise<PlannedLayer> | undefined): Promise<void> {
  await planned?.then(
    (layer) => layer.spool?.release(),
    () => undefined,
  );
}

/**
 * The droplet's plan (unless planned ahead) and the lifecycle's, read side by side; a spool is
 * released when the other one fails.
 */
async function planInputs(options: BuildImageOptions, deps: BuildImageDeps) {
  const [droplet, lifecycle] = await Promise.allSettled([
    options.plannedDroplet ?? planDropletLayer(options, deps),
    lifecycleFacts(options, deps),
  ]);
  if (droplet.status === "fulfilled" && lifecycle.status === "fulfilled") {
    return { droplet: droplet.value, lifecycle: lifecycle.value };
  }
  if (droplet.status === "fulfilled") await droplet.value.spool?.release();
  throw droplet.status === "rejected"
    ? droplet.reason
    : (lifecycle as PromiseRejectedResult).reason;
}

async function buildPlanned(
  options: BuildImageOptions,
  deps: BuildImageDeps,
  inputs: { stack: ImageInfo; droplet: PlannedLayer; lifecycle: LifecycleFile },
): Promise<BuiltImage> {
  const { images, onPhase } = deps;
  const { stack, droplet, lifecycle } = inputs;
  throwIfCancelled(options.signal);
  const metadata = await buildMetadata(options, droplet);
  const tags = options.tags ?? defaultTags(metadata.appName, metadata.dropletMd5Hex);
  const build: Build = { options, deps, stack, droplet, metadata, tags };
  const lifecycleSha256Hex = lifecycle.sha256Hex;
  // With the lifecycle layer known (from the plan cache), the image id is known before the
  // base image is looked at: an image the engine has is only tagged.
  if (lifecycle.planned) {
    const facts = factsOfLifecycle(lifecycle.planned);
    const reused = await tagExisting(build, configOf(build, facts));
    if (reused) {
      const mode = options.baseLayers ?? "reference";
      return result(build, { loaded: reused, mode, lifecycle: facts, reused: true });
    }
    build.checked = true;
  }
  if ((options.baseLayers ?? "reference") === "reference") {
    const base = await ensureLifecycleBase(
      {
        stack,
        lifecyclePath: options.lifecyclePath,
        lifecycleSha256Hex,
        planned: lifecycle.planned,
        time: options.time,
        tar: deps.tar,
        signal: options.signal,
      },
      images,
    ).catch((error: unknown) => {
      if (isMissingBaseLayer(error)) return undefined;
      throw error;
    });
    if (base) {
      const config = configOf(build, base.lifecycle);
      const reused = await tagExisting(build, config);
      if (reused) {
        return result(build, {
          loaded: reused,
          mode: "reference",
          lifecycle: base.lifecycle,
          reused: true,
        });
      }
      try {
        onPhase?.("loading the droplet layer into the engine");
        await loadOnBase(build, {
          baseImage: base.tag,
          baseLayerCount: base.diffIds.length,
          mode: "reference",
          added: [],
          config,
          tags,
          time: options.time,
          tar: deps.tar,
          signal: options.signal,
        });
        return result(
          build,
          await checkLoaded(build, config, { lifecycle: base.lifecycle, mode: "reference" }),
        );
      } catch (error) {
        if (!isMissingBaseLayer(error)) throw error;
      }
    }
  }
  return streamAll(build, lifecycle);
}

function factsOfLifecycle(planned: PlannedLayer): LifecycleLayerFacts {
  return {
    sha256Hex: planned.sha256Hex,
    diffId: planned.plan.diffId,
    sizeBytes: planned.plan.sizeBytes,
  };
}

/**
 * The launcher image on the lifecycle base: its droplet layer referenced when a carrier holds it
 * (streamed after all if the engine lacks it by then: a carrier removed under the run), else
 * streamed.
 */
async function loadOnBase(build: Build, request: LoadRequest): Promise<void> {
  const { images } = build.deps;
  const stream = { ...request, added: [dropletStream(build)] };
  if (!(await carriesDroplet(build))) return loadLayers(images, stream);
  try {
    await loadLayers(images, { ...request, added: [new ReferencedLayer(dropletLayerPath)] });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!message.includes(dropletLayerPath)) throw error;
    await loadLayers(images, stream);
  }
}

/** Whether the carrier (if any) loaded this droplet's layer; a failed one did not. */
async function carriesDroplet(build: Build): Promise<boolean> {
  const carrier = await build.options.carrier?.catch(() => undefined);
  return carrier !== undefined && carrier.dropletDiffId === build.droplet.plan.diffId;
}

interface Build {
  options: BuildImageOptions;
  deps: BuildImageDeps;
  stack: ImageInfo;
  droplet: PlannedLayer;
  metadata: ImageMetadata;
  tags: string[];
  /** Whether the engine was already asked for the image id (and did not have it). */
  checked?: boolean;
}

interface Outcome {
  loaded: ImageInfo;
  mode: BaseLayerMode;
  lifecycle: LifecycleLayerFacts;
  reused?: boolean;
}

/** Every layer through the archive: the stack's out of the engine, the lifecycle, the droplet. */
async function streamAll(build: Build, file: LifecycleFile): Promise<BuiltImage> {
  const { options, deps } = build;
  const planned =
    file.planned ??
    (await planFileLayer("lifecycle", options.lifecyclePath, {
      spec: lifecycleSpec(options.time, deps.tar),
    }));
  const lifecycle = { ...factsOfLifecycle(planned), sha256Hex: file.sha256Hex };
  const config = configOf(build, lifecycle);
  const reused = await tagExisting(build, config);
  if (reused) return result(build, { loaded: reused, mode: "stream", lifecycle, reused: true });
  deps.onPhase?.("loading the image into the engine");
  const progress = layerProgress("lifecycle layer", lifecycle.sizeBytes, deps.onProgress);
  await loadLayers(deps.images, {
    baseImage: options.stackImage,
    baseLayerCount: build.stack.diffIds.length,
    mode: "stream",
    added: [new LayerStream(planned, "lifecycle/layer.tar", progress), dropletStream(build)],
    config,
    tags: build.tags,
    time: options.time,
    tar: deps.tar,
    signal: options.signal,
  });
  return result(build, await checkLoaded(build, config, { lifecycle, mode: "stream" }));
}

function dropletStream(build: Build): LayerStream {
  const { droplet, deps } = build;
  const progress = layerProgress("droplet layer", droplet.plan.sizeBytes, deps.onProgress);
  return new LayerStream(droplet, dropletLayerPath, progress);
}

/** When the engine has the image already: names it with the tags and returns it. */
async function tagExisting(build: Build, config: ImageConfig): Promise<ImageInfo | undefined> {
  if (build.checked) return undefined;
  const { images } = build.deps;
  const existing = await images.inspect(config.id, build.options.signal);
  if (existing?.id !== config.id) return undefined;
  for (const tag of build.tags) await images.tag(config.id, tag);
  return existing;
}

async function checkLoaded(
  build: Build,
  config: ImageConfig,
  facts: { lifecycle: LifecycleLayerFacts; mode: BaseLayerMode },
): Promise<Outcome> {
  const { lifecycle, mode } = facts;
  const loaded = await build.deps.images.inspect(build.tags[0] ?? config.id, build.options.signal);
  if (loaded?.id !== config.id) throw new ImageIdMismatchError(config.id, loaded?.id);
  return { loaded, mode, lifecycle };
}

function configOf(build: Build, lifecycle: LifecycleLayerFacts): ImageConfig {
  const { options, metadata, stack, droplet } = build;
  return buildImageConfig({
    base: stack,
    metadata,
    diffIds: [...stack.diffIds, lifecycle.diffId, droplet.plan.diffId],
    addedLayers: [
      lifecycleHistory(lifecycle.sha256Hex),
      `restager: droplet in /home/vcap (md5 ${metadata.dropletMd5Hex})`,
    ],
    time: options.time,
    env: options.env ?? [],
    labels: options.labels,
  });
}

function result(build: Build, outcome: Outcome): BuiltImage {
  const { loaded, mode, lifecycle } = outcome;
  return {
    id: loaded.id,
    tags: build.tags,
    metadata: build.metadata,
    sizeBytes: loaded.sizeBytes,
    dropletFileBytes: build.droplet.fileBytes,
    lifecycleLayerBytes: lifecycle.sizeBytes,
    dropletLayerBytes: build.droplet.plan.sizeBytes,
    diffIds: loaded.diffIds,
    baseLayers: mode,
    reused: outcome.reused ?? false,
  };
}
