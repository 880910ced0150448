/**
 * The stack with the lifecycle layer on top, as an image of its own: `restager/lifecycle-base`
 * tagged by a digest of the stack image id, the lifecycle tarball's sha256 and the image time.
 * It is built once (the lifecycle streamed into the engine once); every launcher image on that
 * stack and lifecycle then references its layers the way it references the stack's, so a
 * rebuild streams only the droplet. Its layers are the ones a launcher image lists, in the same
 * order, with the same diffIDs, so launcher image ids do not depend on whether it existed.
 */
import { createHash } from "node:crypto";
import type { TarCodec } from "../archive/ports.js";
import type { ImageInfo, ImageStore } from "../container/image-store.js";
import { isMissingBaseLayer } from "./base-layers.js";
import type { ImageConfig } from "./image-config.js";
import { formatImageTime } from "./image-time.js";
import { loadLayers } from "./load-layers.js";
import { planFileLayerCached, type PlanCache } from "./plan-cache.js";
import {
  fileSha256,
  lifecycleSpec,
  LayerStream,
  planFileLayer,
  type PlannedLayer,
} from "./planned-layer.js";
import { ImageIdMismatchError } from "./image-errors.js";

export const lifecycleBaseRepo = "restager/lifecycle-base";
/** The value of `io.restager.kind` on a lifecycle base image (`restager cache` lists them). */
export const lifecycleBaseKind = "lifecycle-base";

export const BaseLabel = {
  kind: "io.restager.kind",
  stackId: "io.restager.stack-id",
  lifecycleSha256: "io.restager.lifecycle-sha256",
  lifecycleLayerBytes: "io.restager.lifecycle-layer-bytes",
} as const;

/** Bumped when the lifecycle layer's layout changes, so old base images are not reused. */
const layoutVersion = "1";

export interface LifecycleLayerFacts {
  sha256Hex: string;
  diffId: string;
  sizeBytes: number;
}

export interface LifecycleBaseInput {
  stack: ImageInfo;
  lifecyclePath: string;
  lifecycleSha256Hex: string;
  /** The lifecycle layer, when it was planned already (else it is planned here if needed). */
  planned?: PlannedLayer | undefined;
  time: Date;
  tar: TarCodec;
  signal?: AbortSignal | undefined;
}

export interface LifecycleBase {
  tag: string;
  /** The stack's diffIDs, then the lifecycle layer's. */
  diffIds: string[];
  lifecycle: LifecycleLayerFacts;
  /** Whether this call streamed the lifecycle into the engine (false: it was there). */
  built: boolean;
}

export function lifecycleBaseTag(stackId: string, lifecycleSha256Hex: string, time: Date): string {
  const key = createHash("sha256")
    .update([layoutVersion, stackId, lifecycleSha256Hex, formatImageTime(time)].join("\n"))
    .digest("hex");
  return `${lifecycleBaseRepo}:${key.slice(0, 24)}`;
}

/** The base image for `input`, built (stack layers referenced, else streamed) when missing. */
export async function ensureLifecycleBase(
  input: LifecycleBaseInput,
  images: ImageStore,
): Promise<LifecycleBase> {
  const tag = lifecycleBaseTag(input.stack.id, input.lifecycleSha256Hex, input.time);
  const existing = await images.inspect(tag, input.signal);
  const found = existing && fromInfo(tag, existing, input);
  if (found) return found;
  const layer =
    input.planned ??
    (await planFileLayer("lifecycle", input.lifecyclePath, {
      spec: lifecycleSpec(input.time, input.tar),
    }));
  const lifecycle = {
    sha256Hex: input.lifecycleSha256Hex,
    diffId: layer.plan.diffId,
    sizeBytes: layer.plan.sizeBytes,
  };
  const config = baseConfig(input, lifecycle);
  const request = {
    baseImage: input.stack.id,
    baseLayerCount: input.stack.diffIds.length,
    added: [new LayerStream(layer, "lifecycle/layer.tar")],
    config,
    tags: [tag],
    time: input.time,
    tar: input.tar,
    signal: input.signal,
  };
  try {
    await loadLayers(images, { ...request, mode: "reference" });
  } catch (error) {
    if (!isMissingBaseLayer(error)) throw error;
    await loadLayers(images, { ...request, mode: "stream" });
  }
  const loaded = await images.inspect(tag, input.signal);
  if (loaded?.id !== config.id) throw new ImageIdMismatchError(config.id, loaded?.id);
  return { tag, diffIds: loaded.diffIds, lifecycle, built: true };
}

/** An existing base image, when it is what its tag promises (else it is rebuilt). */
function fromInfo(tag: string, info: ImageInfo, input: LifecycleBaseInput) {
  const stackIds = input.stack.diffIds;
  const sizeBytes = Number(info.labels[BaseLabel.lifecycleLayerBytes]);
  const diffId = info.diffIds.at(-1);
  const matches =
    info.labels[BaseLabel.lifecycleSha256] === input.lifecycleSha256Hex &&
    info.diffIds.length === stackIds.length + 1 &&
    stackIds.every((id, index) => info.diffIds[index] === id) &&
    Number.isSafeInteger(sizeBytes) &&
    diffId !== undefined;
  if (!matches) return undefined;
  const lifecycle = { sha256Hex: input.lifecycleSha256Hex, diffId, sizeBytes };
  return { tag, diffIds: info.diffIds, lifecycle, built: false };
}

function baseConfig(input: LifecycleBaseInput, lifecycle: LifecycleLayerFacts): ImageConfig {
  const { stack } = input;
  const created = formatImageTime(input.time);
  const config = {
    architecture: stack.architecture,
    ...(stack.variant ? { variant: stack.variant } : {}),
    os: stack.os,
    created,
    config: {
      Env: stack.env,
      Labels: {
        [BaseLabel.kind]: lifecycleBaseKind,
        [BaseLabel.lifecycleLayerBytes]: String(lifecycle.sizeBytes),
        [BaseLabel.lifecycleSha256]: lifecycle.sha256Hex,
        [BaseLabel.stackId]: stack.id,
      },
    },
    rootfs: { type: "layers", diff_ids: [...stack.diffIds, lifecycle.diffId] },
    history: [
      ...stack.diffIds.map((_, index) => ({
        created,
        created_by: `restager: layer ${index + 1}/${stack.diffIds.length} of ${stack.id}`,
      })),
      { created, created_by: lifecycleHistory(lifecycle.sha256Hex) },
    ],
  };
  const bytes = Buffer.from(JSON.stringify(config));
  return { bytes, id: `sha256:${createHash("sha256").update(bytes).digest("hex")}` };
}

export function lifecycleHistory(sha256Hex: string): string {
  return `restager: lifecycle in /tmp/lifecycle (sha256 ${sha256Hex.slice(0, 12)})`;
}

export interface LifecycleFile {
  sha256Hex: string;
  /** The lifecycle layer's plan, when a plan cache is at hand (else only its sha256 is read). */
  planned?: PlannedLayer | undefined;
}

/** The lifecycle tarball's sha256, and its layer's plan when a plan cache is at hand. */
export async function lifecycleFacts(
  options: { lifecyclePath: string; time: Date; signal?: AbortSignal | undefined },
  deps: { plans?: PlanCache | undefined; tar: TarCodec },
): Promise<LifecycleFile> {
  const { plans } = deps;
  if (!plans) return { sha256Hex: await fileSha256(options.lifecyclePath) };
  const source = {
    what: "lifecycle",
    file: options.lifecyclePath,
    spec: lifecycleSpec(options.time, deps.tar),
  };
  const planned = await planFileLayerCached(plans, source, { signal: options.signal });
  return { sha256Hex: planned.sha256Hex, planned };
}
