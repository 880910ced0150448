/**
 * The two layers restager adds to the stack: the lifecycle in /tmp/lifecycle (root-owned, as
 * Diego bind-mounts it) and the droplet expanded in /home/vcap (owned by vcap, 2000:2000, in the
 * entries themselves, so no recursive chown layer is needed). Each is planned (sized) first,
 * then streamed with its diffID computed on the way.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { layerBlocks, planLayer, type LayerPlan } from "./layer-blocks.js";
import { layerParts, openTarFile, type LayerSpec } from "./layer-parts.js";
import type { TarCodec } from "../archive/ports.js";
import type { SaveEntry } from "./save-archive.js";

export const vcapId = 2000;
export const stagingInfoPath = "staging_info.yml";

export function lifecycleSpec(mtime: Date, tar: TarCodec): LayerSpec {
  return {
    root: "tmp/lifecycle",
    uid: 0,
    gid: 0,
    parents: [
      { path: "tmp", mode: 0o1777, uid: 0, gid: 0 },
      { path: "tmp/lifecycle", mode: 0o755, uid: 0, gid: 0 },
    ],
    mtime,
    tar,
  };
}

export function dropletSpec(mtime: Date, tar: TarCodec): LayerSpec {
  return {
    root: "home/vcap",
    uid: vcapId,
    gid: vcapId,
    parents: [
      { path: "home", mode: 0o755, uid: 0, gid: 0 },
      { path: "home/vcap", mode: 0o755, uid: vcapId, gid: vcapId },
    ],
    mtime,
    tar,
  };
}

export interface PlannedLayer {
  /** What the layer is made of, for messages: "droplet", "lifecycle". */
  what: string;
  file: string;
  spec: LayerSpec;
  plan: LayerPlan;
  /** Size of the source file, and its digests (hex), read during planning. */
  fileBytes: number;
  md5Hex: string;
  sha256Hex: string;
}

/** Reads `file` once: the layer's exact size, the file's digests, and the captured entries. */
export async function planFileLayer(
  what: string,
  file: string,
  layer: { spec: LayerSpec; capture?: readonly string[] | undefined },
): Promise<PlannedLayer> {
  const { spec, capture = [] } = layer;
  const md5 = createHash("md5");
  const sha256 = createHash("sha256");
  let fileBytes = 0;
  const tar = await openTarFile(file, (chunk) => {
    md5.update(chunk);
    sha256.update(chunk);
    fileBytes += chunk.length;
  });
  const plan = await planLayer(layerParts(tar, spec), capture);
  return {
    what,
    file,
    spec,
    plan,
    fileBytes,
    md5Hex: md5.digest("hex"),
    sha256Hex: sha256.digest("hex"),
  };
}

/** A layer being streamed: its archive entry; the engine checks its bytes against the diffID. */
export class LayerStream {
  constructor(
    private readonly layer: PlannedLayer,
    readonly path: string,
    private readonly onBytes: (bytes: number) => void = () => undefined,
  ) {}

  get diffId(): string {
    return this.layer.plan.diffId;
  }

  entry(): SaveEntry {
    return { path: this.path, sizeBytes: this.layer.plan.sizeBytes, content: this.#content() };
  }

  async *#content(): AsyncGenerator<Buffer> {
    const { file, spec, plan, what } = this.layer;
    const parts = layerParts(await openTarFile(file), spec);
    for await (const chunk of layerBlocks(parts, plan.sizeBytes, what)) {
      this.onBytes(chunk.length);
      yield chunk;
    }
  }
}

/** The sha256 (hex) of a file's own bytes, read once without expanding it. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
