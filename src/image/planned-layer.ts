/**
 * The two layers restager adds to the stack: the lifecycle in /tmp/lifecycle (root-owned, as
 * Diego bind-mounts it) and the droplet expanded in /home/vcap (owned by vcap, 2000:2000, in the
 * entries themselves, so no recursive chown layer is needed). Each is planned first (its size
 * and diffID, read from the archive once), then streamed: from the spool file written while it
 * was planned (the droplet, layer-spool.ts), or from the archive again (a layer whose plan came
 * from the plan cache, or the lifecycle, streamed once per stack and lifecycle).
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { layerBlocks, planLayer, type LayerPlan, type PlanLayerOptions } from "./layer-blocks.js";
import { layerParts, openTarFile, type LayerSpec } from "./layer-parts.js";
import type { TarCodec } from "../archive/ports.js";
import type { SaveEntry } from "./save-archive.js";
import { LayerChangedError } from "./image-errors.js";
import { LayerSpool } from "./layer-spool.js";

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
  /** The layer's bytes, written while it was planned; the caller releases it. */
  spool?: LayerSpool | undefined;
}

export interface PlanFileOptions {
  spec: LayerSpec;
  capture?: readonly string[] | undefined;
  /** Also write the layer tar to a spool file (in this directory; true: the temporary one). */
  spool?: boolean | string | undefined;
  /** The file's digests when the caller computed them already (restage: while uploading it). */
  digests?: FileDigests | undefined;
  signal?: AbortSignal | undefined;
}

export interface FileDigests {
  sizeBytes: number;
  md5Hex: string;
  sha256Hex: string;
}

/**
 * Reads `file` once: the layer's exact size and diffID, the file's digests, the captured entries
 * and, when asked, a spool of the layer's bytes (removed again when planning fails).
 */
export async function planFileLayer(
  what: string,
  file: string,
  options: PlanFileOptions,
): Promise<PlannedLayer> {
  const { spec, capture, signal, digests } = options;
  const spool =
    options.spool === undefined || options.spool === false
      ? undefined
      : await LayerSpool.create(what, options.spool === true ? undefined : options.spool);
  try {
    const sink = spool?.sink;
    const planned = await readFileLayer(what, file, { spec, capture, sink, signal, digests });
    await spool?.finish();
    return { ...planned, spool };
  } catch (error) {
    await spool?.release();
    throw error;
  }
}

async function readFileLayer(
  what: string,
  file: string,
  options: PlanLayerOptions & { spec: LayerSpec; digests?: FileDigests | undefined },
): Promise<PlannedLayer> {
  const { spec, digests } = options;
  const md5 = digests ? undefined : createHash("md5");
  const sha256 = digests ? undefined : createHash("sha256");
  let fileBytes = 0;
  const tar = await openTarFile(file, (chunk) => {
    md5?.update(chunk);
    sha256?.update(chunk);
    fileBytes += chunk.length;
  });
  const plan = await planLayer(layerParts(tar, spec), options);
  if (digests && digests.sizeBytes !== fileBytes) throw new LayerChangedError(what);
  return {
    what,
    file,
    spec,
    plan,
    fileBytes,
    md5Hex: digests?.md5Hex ?? (md5 as Hash).digest("hex"),
    sha256Hex: digests?.sha256Hex ?? (sha256 as Hash).digest("hex"),
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
    const { file, spec, plan, what, spool } = this.layer;
    const blocks = spool
      ? spool.read(plan.sizeBytes, what)
      : layerBlocks(layerParts(await openTarFile(file), spec), plan.sizeBytes, what);
    for await (const chunk of blocks) {
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
