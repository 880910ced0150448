/**
 * A layer as tar blocks, in two passes over the same archive: `planLayer` learns the layer
 * tar's exact size, which the docker-save archive must state before the layer's bytes, and its
 * diffID (the sha256 of those bytes), which lets the image id be known before anything is sent
 * to the engine; `layerBlocks` then streams the bytes. Nothing is spooled.
 */
import { createHash } from "node:crypto";
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

export async function planLayer(
  parts: AsyncIterable<LayerPart>,
  capture: readonly string[] = [],
): Promise<LayerPlan> {
  let sizeBytes = tarEnd.length;
  const hash = createHash("sha256");
  const captured = new Map<string, Buffer>();
  for await (const part of parts) {
    sizeBytes += part.header.length + part.size + tarPadding(part.size).length;
    hash.update(part.header);
    if (part.body && capture.includes(part.sourcePath) && part.size <= captureLimitBytes) {
      const body = await readAll(part.body);
      captured.set(part.sourcePath, body);
      hash.update(body);
    } else if (part.body) {
      for await (const chunk of part.body) hash.update(chunk);
    }
    hash.update(tarPadding(part.size));
  }
  hash.update(tarEnd);
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
