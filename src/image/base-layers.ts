/**
 * The stack image's layers in the load archive. By reference (the default): the manifest names
 * `base/<n>/layer.tar` files that the archive does not hold — the engine looks every layer up
 * by its chain id first and opens the file only for a layer it lacks, and it has all of the
 * stack's, since the stack image is in it. Streamed (the fallback, for an engine that lost the
 * stack meanwhile): the layer tars are copied out of `GET /images/{stack}/get`.
 */
import type { Readable } from "node:stream";
import type { TarCodec } from "../archive/ports.js";
import type { SaveEntry } from "./save-archive.js";

export type BaseLayerMode = "reference" | "stream";

/** Paths the manifest gives the base layers when they are referenced, not sent. */
export function referencedBaseLayers(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `base/${index}/layer.tar`);
}

/** Whether a load failure says a referenced base layer was needed after all. */
export function isMissingBaseLayer(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /base\/\d+\/layer\.tar/.test(message);
}

/**
 * Copies the `<id>/layer.tar` entries of a docker-save stream; once it is consumed, `layers`
 * holds their paths in the image's order (read from the stream's own manifest.json, last).
 */
export class StreamedBaseLayers {
  layers: string[] = [];

  constructor(
    private readonly save: Readable,
    private readonly tar: TarCodec,
  ) {}

  async *entries(): AsyncGenerator<SaveEntry> {
    for await (const entry of this.tar.entries(this.save)) {
      const path = entry.path.replace(/^\.\//, "");
      if (path === "manifest.json") {
        this.layers = await readManifestLayers(entry);
      } else if (path.endsWith("/layer.tar") && entry.type === "SymbolicLink") {
        yield { path, sizeBytes: 0, content: Buffer.alloc(0), linkpath: entry.linkpath };
      } else if (path.endsWith("/layer.tar") && entry.type === "File") {
        yield { path, sizeBytes: entry.size, content: entry };
      }
    }
  }
}

async function readManifestLayers(body: AsyncIterable<Buffer>): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  const manifest = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { Layers?: string[] }[];
  return manifest[0]?.Layers ?? [];
}
