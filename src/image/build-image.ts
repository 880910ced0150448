/**
 * Builds the launcher image of a droplet: the stack image, the lifecycle in /tmp/lifecycle and
 * the droplet in /home/vcap, written by restager itself (the engine's legacy builder stamps the
 * current time, so its images are never reproducible) and streamed into `POST /images/load`.
 * Same droplet, lifecycle, stack and time → same image id; a rebuild on an unchanged stack and
 * lifecycle adds only the droplet layer to the engine's store.
 */
import { Readable } from "node:stream";
import type { ImageInfo, ImageStore } from "../container/image-store.js";
import { ImageMissingError } from "../container/image-missing-error.js";
import type { ProgressEvent } from "../diego/task-log.js";
import { throwIfAborted } from "./abort.js";
import {
  isMissingBaseLayer,
  referencedBaseLayers,
  StreamedBaseLayers,
  type BaseLayerMode,
} from "./base-layers.js";
import { buildMetadata, type AppFacts } from "./build-metadata.js";
import { buildImageConfig, type ImageConfig } from "./image-config.js";
import { ImageIdMismatchError } from "./image-errors.js";
import type { ImageMetadata } from "./image-metadata.js";
import { defaultTags } from "./image-tags.js";
import { layerProgress } from "./layer-progress.js";
import {
  dropletSpec,
  LayerStream,
  lifecycleSpec,
  planFileLayer,
  stagingInfoPath,
  type PlannedLayer,
} from "./planned-layer.js";
import { manifestEntry, saveArchive, type SaveEntry } from "./save-archive.js";

export interface BuildImageOptions extends AppFacts {
  dropletPath: string;
  lifecyclePath: string;
  /** Full names (`repo:tag`); default `restager/<app>:<md5 prefix>` and `:latest`. */
  tags?: string[] | undefined;
  /** Extra env after PORT=8080 (e.g. the task's LANG). */
  env?: string[] | undefined;
  labels?: Record<string, string> | undefined;
  time: Date;
  /** How the stack's layers travel; default "reference", falling back to "stream". */
  baseLayers?: BaseLayerMode | undefined;
  signal?: AbortSignal | undefined;
}

export interface BuildImageDeps {
  images: ImageStore;
  onPhase?: ((phase: string) => void) | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
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
}

export async function buildImage(
  options: BuildImageOptions,
  deps: BuildImageDeps,
): Promise<BuiltImage> {
  const { images, onPhase } = deps;
  const base = await images.inspect(options.stackImage, options.signal);
  if (!base) throw new ImageMissingError(options.stackImage);
  onPhase?.("reading the droplet and the lifecycle");
  const [lifecycle, droplet] = await Promise.all([
    planFileLayer("lifecycle", options.lifecyclePath, lifecycleSpec(options.time)),
    planFileLayer("droplet", options.dropletPath, dropletSpec(options.time), [stagingInfoPath]),
  ]);
  throwIfAborted(options.signal);
  const metadata = buildMetadata(options, droplet);
  const tags = options.tags ?? defaultTags(metadata.appName, metadata.dropletMd5Hex);
  const build: Build = { options, deps, base, lifecycle, droplet, metadata, tags };
  onPhase?.("loading the image into the engine");
  let mode = options.baseLayers ?? "reference";
  let config: ImageConfig;
  try {
    config = await load(build, mode);
  } catch (error) {
    if (mode !== "reference" || !isMissingBaseLayer(error)) throw error;
    mode = "stream";
    config = await load(build, mode);
  }
  const loaded = await images.inspect(tags[0] ?? config.id, options.signal);
  if (loaded?.id !== config.id) throw new ImageIdMismatchError(config.id, loaded?.id);
  return result(build, loaded, mode);
}

interface Build {
  options: BuildImageOptions;
  deps: BuildImageDeps;
  base: ImageInfo;
  lifecycle: PlannedLayer;
  droplet: PlannedLayer;
  metadata: ImageMetadata;
  tags: string[];
}

async function load(build: Build, mode: BaseLayerMode): Promise<ImageConfig> {
  const { options, deps } = build;
  const streamed =
    mode === "stream"
      ? new StreamedBaseLayers(await deps.images.exportImage(options.stackImage, options.signal))
      : undefined;
  let config: ImageConfig | undefined;
  const entries = async function* (): AsyncGenerator<SaveEntry> {
    if (streamed) yield* streamed.entries();
    const added = addedLayers(build);
    for (const layer of added) yield layer.entry();
    config = configOf(build, added);
    yield { path: "config.json", sizeBytes: config.bytes.length, content: config.bytes };
    const baseLayers = streamed?.layers ?? referencedBaseLayers(build.base.diffIds.length);
    const layers = [...baseLayers, ...added.map((layer) => layer.path)];
    yield manifestEntry({ config: "config.json", repoTags: build.tags, layers });
  };
  await deps.images.load(Readable.from(saveArchive(entries(), options.time)), options.signal);
  if (!config) throw new Error("the load archive was not fully written");
  return config;
}

function addedLayers(build: Build): LayerStream[] {
  const progress = (layer: PlannedLayer) =>
    layerProgress(`${layer.what} layer`, layer.plan.sizeBytes, build.deps.onProgress);
  return [
    new LayerStream(build.lifecycle, "lifecycle/layer.tar", progress(build.lifecycle)),
    new LayerStream(build.droplet, "droplet/layer.tar", progress(build.droplet)),
  ];
}

function configOf(build: Build, added: LayerStream[]): ImageConfig {
  const { options, metadata } = build;
  return buildImageConfig({
    base: build.base,
    metadata,
    diffIds: [...build.base.diffIds, ...added.map((layer) => layer.diffId)],
    addedLayers: [
      `restager: lifecycle in /tmp/lifecycle (sha256 ${build.lifecycle.sha256Hex.slice(0, 12)})`,
      `restager: droplet in /home/vcap (md5 ${metadata.dropletMd5Hex})`,
    ],
    time: options.time,
    env: options.env ?? [],
    labels: options.labels,
  });
}

function result(build: Build, loaded: ImageInfo, mode: BaseLayerMode): BuiltImage {
  return {
    id: loaded.id,
    tags: build.tags,
    metadata: build.metadata,
    sizeBytes: loaded.sizeBytes,
    dropletFileBytes: build.droplet.fileBytes,
    lifecycleLayerBytes: build.lifecycle.plan.sizeBytes,
    dropletLayerBytes: build.droplet.plan.sizeBytes,
    diffIds: loaded.diffIds,
    baseLayers: mode,
  };
}
