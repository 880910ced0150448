/**
 * One `POST /images/load` of an image whose config is already known: the base image's layers
 * (referenced, or streamed out of the engine), the layers restager adds, the config and the
 * manifest. Shared by the lifecycle base image and the launcher image.
 */
import { Readable } from "node:stream";
import type { TarCodec } from "../archive/ports.js";
import type { ImageStore } from "../container/image-store.js";
import { referencedBaseLayers, StreamedBaseLayers, type BaseLayerMode } from "./base-layers.js";
import type { ImageConfig } from "./image-config.js";
import { manifestEntry, saveArchive, type SaveEntry } from "./save-archive.js";

/** A layer the archive adds: streamed (LayerStream), or only named (ReferencedLayer). */
export interface AddedLayer {
  readonly path: string;
  /** The archive entry with the layer's bytes; undefined: the engine has the layer already. */
  entry(): SaveEntry | undefined;
}

/**
 * A layer the engine already holds (on top of the same base): the manifest names it and the
 * archive leaves its file out, as for referenced base layers.
 */
export class ReferencedLayer implements AddedLayer {
  constructor(readonly path: string) {}

  entry(): undefined {
    return undefined;
  }
}

export interface LoadRequest {
  /** The image whose layers come first: referenced by count, or streamed from the engine. */
  baseImage: string;
  baseLayerCount: number;
  mode: BaseLayerMode;
  added: AddedLayer[];
  config: ImageConfig;
  tags: string[];
  time: Date;
  tar: TarCodec;
  signal?: AbortSignal | undefined;
}

export async function loadLayers(images: ImageStore, request: LoadRequest): Promise<void> {
  const { mode, signal } = request;
  const streamed =
    mode === "stream"
      ? new StreamedBaseLayers(await images.exportImage(request.baseImage, signal), request.tar)
      : undefined;
  const entries = async function* (): AsyncGenerator<SaveEntry> {
    if (streamed) yield* streamed.entries();
    for (const layer of request.added) {
      const entry = layer.entry();
      if (entry) yield entry;
    }
    const { bytes } = request.config;
    yield { path: "config.json", sizeBytes: bytes.length, content: bytes };
    const baseLayers = streamed?.layers ?? referencedBaseLayers(request.baseLayerCount);
    const layers = [...baseLayers, ...request.added.map((layer) => layer.path)];
    yield manifestEntry({ config: "config.json", repoTags: request.tags, layers });
  };
  await images.load(Readable.from(saveArchive(entries(), request.time, request.tar)), signal);
}
