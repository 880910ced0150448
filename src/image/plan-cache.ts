/**
 * What planning a layer learns about an archive on disk (its digests, the layer's size and
 * diffID, the captured staging_info.yml), remembered per file so that building the same droplet
 * again reads no byte of it: the image id is known from the cache, and an image the engine
 * already has is only tagged (build-image.ts).
 *
 * A file is recognised the way git's index recognises an unchanged work-tree file: device,
 * inode, size, and the modification and change times in nanoseconds. Rewriting a file changes
 * its ctime (which no user call can set back), so a stale entry is never used for new bytes; and
 * a wrong diffID could not slip through anyway, as the engine checks streamed layers against it.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LayerSpec } from "./layer-parts.js";
import { planFileLayer, type PlanFileOptions, type PlannedLayer } from "./planned-layer.js";

/** Bumped when what is stored (or how a layer is laid out) changes. */
const formatVersion = "1";
/** The cache's folder inside restager's cache dir. */
export const planCacheDirName = "image-plans";
/** Entries kept; the oldest beyond this are removed when one is added. */
const maxEntries = 256;

/** The facts of one planned layer, without the file and spec they were computed for. */
export interface PlanFacts {
  sizeBytes: number;
  diffId: string;
  fileBytes: number;
  md5Hex: string;
  sha256Hex: string;
  /** Captured entries, base64. */
  captured: Record<string, string>;
}

/** Where plan facts are kept: a port, so tests and callers without a cache dir can skip it. */
export interface PlanCache {
  get(key: string): Promise<PlanFacts | undefined>;
  put(key: string, facts: PlanFacts): Promise<void>;
}

/** The cache key of `file` laid out by `spec` (undefined when the file cannot be stat'ed). */
export async function planKey(
  file: string,
  spec: LayerSpec,
  capture: readonly string[],
): Promise<string | undefined> {
  const info = await stat(file, { bigint: true }).catch(() => undefined);
  if (!info) return undefined;
  const identity = [info.dev, info.ino, info.size, info.mtimeNs, info.ctimeNs].join(":");
  const layout = JSON.stringify({ ...spec, mtime: spec.mtime.toISOString(), capture });
  return createHash("sha256")
    .update([formatVersion, identity, layout].join("\n"))
    .digest("hex")
    .slice(0, 40);
}

export function factsOf(layer: PlannedLayer): PlanFacts {
  const captured: Record<string, string> = {};
  for (const [path, body] of layer.plan.captured) captured[path] = body.toString("base64");
  const { sizeBytes, diffId } = layer.plan;
  const { fileBytes, md5Hex, sha256Hex } = layer;
  return { sizeBytes, diffId, fileBytes, md5Hex, sha256Hex, captured };
}

export function layerOf(
  facts: PlanFacts,
  source: { what: string; file: string; spec: LayerSpec },
): PlannedLayer {
  const captured = new Map<string, Buffer>();
  for (const [path, body] of Object.entries(facts.captured)) {
    captured.set(path, Buffer.from(body, "base64"));
  }
  return {
    ...source,
    plan: { sizeBytes: facts.sizeBytes, diffId: facts.diffId, captured },
    fileBytes: facts.fileBytes,
    md5Hex: facts.md5Hex,
    sha256Hex: facts.sha256Hex,
  };
}

/** Plan facts as small JSON files in one directory (`<cache dir>/image-plans`). */
export class DirectoryPlanCache implements PlanCache {
  constructor(private readonly dir: string) {}

  async get(key: string): Promise<PlanFacts | undefined> {
    const text = await readFile(join(this.dir, `${key}.json`), "utf8").catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      return checkFacts(JSON.parse(text));
    } catch {
      return undefined;
    }
  }

  /** Best effort: a cache that cannot be written only costs the next build its planning. */
  async put(key: string, facts: PlanFacts): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      const temp = join(this.dir, `.${key}.${randomUUID()}.tmp`);
      await writeFile(temp, JSON.stringify(facts));
      await rename(temp, join(this.dir, `${key}.json`));
      await this.#trim();
    } catch {
      // ignored: see above
    }
  }

  async #trim(): Promise<void> {
    const names = (await readdir(this.dir)).filter((name) => name.endsWith(".json"));
    if (names.length <= maxEntries) return;
    const dated = await Promise.all(
      names.map(async (name) => {
        const info = await stat(join(this.dir, name)).catch(() => undefined);
        return { name, mtimeMs: info?.mtimeMs ?? 0 };
      }),
    );
    dated.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const { name } of dated.slice(0, dated.length - maxEntries)) {
      await rm(join(this.dir, name), { force: true });
    }
  }
}

function checkFacts(value: unknown): PlanFacts | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const facts = value as Partial<PlanFacts>;
  const ok =
    Number.isSafeInteger(facts.sizeBytes) &&
    Number.isSafeInteger(facts.fileBytes) &&
    typeof facts.diffId === "string" &&
    /^sha256:[0-9a-f]{64}$/.test(facts.diffId) &&
    typeof facts.md5Hex === "string" &&
    typeof facts.sha256Hex === "string" &&
    typeof facts.captured === "object" &&
    facts.captured !== null;
  return ok ? (facts as PlanFacts) : undefined;
}

/**
 * planFileLayer through `cache`: an unchanged file is not read again (and not spooled: a layer
 * planned before streams from its archive).
 */
export async function planFileLayerCached(
  cache: PlanCache | undefined,
  source: { what: string; file: string; spec: LayerSpec },
  options: Omit<PlanFileOptions, "spec"> = {},
): Promise<PlannedLayer> {
  const { what, file, spec } = source;
  const capture = options.capture ?? [];
  const key = cache && (await planKey(file, spec, capture));
  const hit = key === undefined ? undefined : await cache?.get(key);
  if (hit) return layerOf(hit, source);
  const layer = await planFileLayer(what, file, { ...options, spec });
  // Stored only when the file did not change while it was read.
  if (key !== undefined && key === (await planKey(file, spec, capture))) {
    await cache?.put(key, factsOf(layer));
  }
  return layer;
}
