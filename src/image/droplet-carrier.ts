/**
 * The droplet's layer put into the engine ahead of its image: restage loads it while the droplet
 * is still being uploaded, as an untagged image of its own (the carrier: the lifecycle base's
 * layers and the droplet layer, with a config that only labels it). The launcher image loaded
 * after staging then references the droplet layer the way it references the base's (the engine
 * looks a layer up by its chain id and skips a file it does not need), so that only its config
 * and manifest travel once the task ended. The carrier is removed once that load is done, or when
 * no image is built; the layer stays as long as an image holds it. Each carrier carries a random
 * label, so two runs of the same droplet never share (and never remove) one carrier.
 */
import { createHash, randomUUID } from "node:crypto";
import type { TarCodec } from "../archive/ports.js";
import type { ImageStore } from "../container/image-store.js";
import { LabelKey } from "../core/labels.js";
import { formatImageTime } from "./image-time.js";
import { loadLayers } from "./load-layers.js";
import { LayerStream, type PlannedLayer } from "./planned-layer.js";
import { ensureLifecycleBase, lifecycleFacts } from "./lifecycle-base.js";
import type { PlanCache } from "./plan-cache.js";

/** `io.restager.kind` of a carrier image (removed by the run that made it). */
export const dropletCarrierKind = "droplet-carrier";

/** Where the carrier's droplet layer sits in a load archive; launcher images name it the same. */
export const dropletLayerPath = "droplet/layer.tar";

export interface CarrierInput {
  stackImage: string;
  lifecyclePath: string;
  droplet: PlannedLayer;
  time: Date;
  /** Labels of the carrier besides its kind (the run's owner, say). */
  labels?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
}

export interface CarrierDeps {
  images: ImageStore;
  tar: TarCodec;
  plans?: PlanCache | undefined;
}

/** A carrier in the engine: its id, and the droplet layer's diffID it holds. */
export interface DropletCarrier {
  id: string;
  dropletDiffId: string;
}

/**
 * Loads the carrier; undefined when the engine lacks the stack image or a base layer (the
 * launcher image then streams the droplet layer itself). Other failures reject.
 */
export async function loadDropletCarrier(
  input: CarrierInput,
  deps: CarrierDeps,
): Promise<DropletCarrier | undefined> {
  const { images, tar } = deps;
  const stack = await images.inspect(input.stackImage, input.signal);
  if (!stack) return undefined;
  const lifecycle = await lifecycleFacts(input, deps);
  const base = await ensureLifecycleBase(
    {
      stack,
      lifecyclePath: input.lifecyclePath,
      lifecycleSha256Hex: lifecycle.sha256Hex,
      planned: lifecycle.planned,
      time: input.time,
      tar,
      signal: input.signal,
    },
    images,
  );
  const dropletDiffId = input.droplet.plan.diffId;
  const config = carrierConfig({ ...input, os: stack.os, architecture: stack.architecture }, [
    ...base.diffIds,
    dropletDiffId,
  ]);
  await loadLayers(images, {
    baseImage: base.tag,
    baseLayerCount: base.diffIds.length,
    mode: "reference",
    added: [new LayerStream(input.droplet, dropletLayerPath)],
    config,
    tags: [],
    time: input.time,
    tar,
    signal: input.signal,
  });
  const loaded = await images.inspect(config.id, input.signal);
  if (loaded?.id !== config.id || loaded.diffIds.at(-1) !== dropletDiffId) return undefined;
  return { id: config.id, dropletDiffId };
}

/** Removes the carrier (by id: it has no name); one already gone is fine. */
export async function removeDropletCarrier(
  images: ImageStore,
  carrier: DropletCarrier | undefined,
): Promise<void> {
  if (carrier) await images.untag(carrier.id);
}

function carrierConfig(
  input: CarrierInput & { os: string; architecture: string },
  diffIds: string[],
): { bytes: Buffer; id: string } {
  const created = formatImageTime(input.time);
  const config = {
    architecture: input.architecture,
    os: input.os,
    created,
    config: {
      Labels: {
        ...input.labels,
        [LabelKey.kind]: dropletCarrierKind,
        "io.restager.carrier": randomUUID(),
      },
    },
    rootfs: { type: "layers", diff_ids: diffIds },
  };
  const bytes = Buffer.from(JSON.stringify(config));
  return { bytes, id: `sha256:${createHash("sha256").update(bytes).digest("hex")}` };
}
