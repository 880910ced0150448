/**
 * A layer as tar blocks. `planLayer` learns the layer tar's exact size, which the docker-save
 * archive must state before the layer's bytes, and its diffID (the sha256 of those bytes), which
 * lets the image id be known before anything is sent to the engine; it can hand every byte to a
 * sink on the way (the droplet's spool file, spooled-layer.ts), so the archive is read once.
 * `layerBlocks` streams the bytes again from the archive (a layer planned before, from the plan
 * cache), checking them against the plan.
 */
import { createHash } from "node:crypto";
import { throwIfCancelled } from "../core/cancellation.js";
import { tarEnd, tarPadding } from "../core/tar-blocks.js";
import { LayerChangedError } from "./image-errors.js";
import type { LayerPart } from "./layer-parts.js";

/** Entries larger than this are never captured (staging_info.yml is a few hundred bytes). */
const captureLimitBytes = 1024 * 1024;

export interface LayerPlan {
  sizeBytes: number;
  /** `sha256:<hex>` of the layer tar: the engine checks the streamed bytes against it. */
  diffId: string;
  /** Bodies of the entries asked for (by source path), when present. */
  captured: Map<string, Buffer>;
}

/** Where a planned layer's bytes go as they are hashed (awaited: the sink's back-pressure). */
export type LayerSink = (chunk: Buffer) => void | Promise<void>;

export interface PlanLayerOptions {
  /** Source paths whose bodies are kept (`staging_info.yml`). */
  capture?: readonly string[] | undefined;
  sink?: LayerSink | undefined;
  signal?: AbortSignal | undefined;
}

export async function planLayer(
  parts: AsyncIterable<LayerPart>,
  options: PlanLayerOptions = {},
): Promise<LayerPlan> {
  const { capture = [], sink, signal } = options;
  let sizeBytes = tarEnd.length;
  const hash = createHash("sha256");
  const add = async (chunk: Buffer): Promise<void> => {
    hash.update(chunk);
    if (sink && chunk.length > 0) await sink(chunk);
  };
  const captured = new Map<string, Buffer>();
  for await (const part of parts) {
    throwIfCancelled(signal);
    sizeBytes += part.header.length + part.size + tarPadding(part.size).length;
    await add(part.header);
    if (part.body && capture.includes(part.sourcePath) && part.size <= captureLimitBytes) {
      const body = await readAll(part.body);
      captured.set(part.sourcePath, body);
      await add(body);
    } else if (part.body) {
      for await (const chunk of part.body) await add(chunk);
    }
    await add(tarPadding(part.size));
  }
  await add(tarEnd);
  return { sizeBytes, diffId: `sha256:${hash.digest("hex")}`, captured };
}

/** The layer tar's bytes; throws LayerChangedError when they do not add up to the plan. */
export async function* layerBlocks(
  parts: AsyncIterable<LayerPart>,
  expectedBytes: number,
  what: string,
): AsyncGenerator<Buffer> {
  let written = 0;
  for await (const part of parts) {
    yield part.header;
    written += part.header.length;
    if (part.body) {
      let bodyBytes = 0;
      for await (const chunk of part.body) {
        bodyBytes += chunk.length;
        yield chunk;
      }
      if (bodyBytes !== part.size) throw new LayerChangedError(what);
      written += bodyBytes;
    }
    const padding = tarPadding(part.size);
    written += padding.length;
    yield padding;
    if (written > expectedBytes) throw new LayerChangedError(what);
  }
  written += tarEnd.length;
  if (written !== expectedBytes) throw new LayerChangedError(what);
  yield tarEnd;
}

async function readAll(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}
