/**
 * What restager keeps between runs, and removing it: the read-only Docker volumes of cached
 * dependencies (label io.restager.kind=dependency, each with its `-complete` marker volume), the
 * lifecycle base images (io.restager.kind=lifecycle-base, see src/image/lifecycle-base.ts) and
 * the download cache entries (`<cache dir>/downloads/<sha256 of the cache key>/`). Nothing else
 * is ever listed or removed: the label or the cache directory layout is restager's own.
 */
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { VolumeInfo, VolumeStore } from "../container/container.js";
import type { ImageStore } from "../container/image-store.js";
import { LabelKey } from "../core/labels.js";
import { lifecycleBaseKind } from "../image/lifecycle-base.js";
import {
  DependencyLabel,
  dependencyKind,
  markerVolumeName,
} from "../restage/dependency-volume-name.js";

/** As src/http/file-lock.ts judges a lock nobody refreshed. */
const staleLockMs = 120_000;

export type CacheItemKind = "volume" | "base-image" | "download";

export interface CacheItem {
  kind: CacheItemKind;
  /** Volume name, image tag, or cache entry directory. */
  name: string;
  /** The dependency's cache key, or the download's (redacted) URL. */
  source: string;
  sizeBytes?: number | undefined;
  /** When it was made (volumes: created; downloads: stored); unknown for base images. */
  since?: Date | undefined;
  /** A container mounts the volume, or a download holds the entry's lock: never removed. */
  inUse: boolean;
}

export interface CacheDeps {
  volumes: VolumeStore;
  images: ImageStore;
  cacheDir: string;
  signal?: AbortSignal | undefined;
}

export async function listCache(deps: CacheDeps): Promise<CacheItem[]> {
  const [volumes, images, downloads] = await Promise.all([
    dependencyVolumes(deps),
    baseImages(deps),
    downloadEntries(deps.cacheDir),
  ]);
  return [...volumes, ...images, ...downloads];
}

export interface PruneOptions {
  /** Only items made longer ago than this; undefined: every item (base images included). */
  olderThanMs?: number | undefined;
  now: Date;
}

/** The items a prune would remove: not in use, and old enough when an age is given. */
export function pruneCandidates(items: readonly CacheItem[], options: PruneOptions): CacheItem[] {
  return items.filter((item) => {
    if (item.inUse) return false;
    if (options.olderThanMs === undefined) return true;
    // An item of unknown age is kept: "older than" cannot be shown for it.
    if (item.since === undefined) return false;
    return options.now.getTime() - item.since.getTime() > options.olderThanMs;
  });
}

/** Removes one item; false when it turned out to be in use meanwhile (it is then kept). */
export async function removeCacheItem(item: CacheItem, deps: CacheDeps): Promise<boolean> {
  switch (item.kind) {
    case "volume": {
      if ((await deps.volumes.users(item.name, deps.signal)).length > 0) return false;
      // The marker first: without it the volume reads as unfinished, never as complete.
      await deps.volumes.remove(markerVolumeName(item.name), deps.signal);
      return deps.volumes.remove(item.name, deps.signal);
    }
    case "base-image":
      await deps.images.untag(item.name);
      return true;
    case "download": {
      if (await isLocked(item.name)) return false;
      await rm(item.name, { recursive: true, force: true });
      return true;
    }
  }
}

async function dependencyVolumes(deps: CacheDeps): Promise<CacheItem[]> {
  const listed = await deps.volumes.list(LabelKey.kind, dependencyKind, deps.signal);
  const names = new Set(listed.map((volume) => volume.name));
  // A marker goes with its volume; one whose volume is gone is listed on its own.
  const isMarker = (volume: VolumeInfo) =>
    names.has(volume.labels[DependencyLabel.completes] ?? "");
  const volumes = listed.filter((volume) => !isMarker(volume));
  return Promise.all(
    volumes.map(async (volume) => {
      const users = await deps.volumes.users(volume.name, deps.signal);
      return {
        kind: "volume" as const,
        name: volume.name,
        source: volume.labels[DependencyLabel.cacheKey] ?? "",
        since: volume.createdAt,
        inUse: users.length > 0,
      };
    }),
  );
}

async function baseImages(deps: CacheDeps): Promise<CacheItem[]> {
  const found = await deps.images.findImages(LabelKey.kind, lifecycleBaseKind);
  return found.flatMap((image) =>
    image.repoTags.map((tag) => ({
      kind: "base-image" as const,
      name: tag,
      source: `stack ${image.labels["io.restager.stack-id"]?.slice(7, 19) ?? "?"} + lifecycle sha256 ${image.labels["io.restager.lifecycle-sha256"]?.slice(0, 12) ?? "?"}`,
      sizeBytes: image.sizeBytes,
      inUse: false,
    })),
  );
}

async function downloadEntries(cacheDir: string): Promise<CacheItem[]> {
  const root = join(cacheDir, "downloads");
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const entries = await Promise.all(
    names.filter((name) => /^[0-9a-f]{64}$/.test(name)).map((name) => downloadEntry(root, name)),
  );
  return entries.filter((entry) => entry !== undefined);
}

async function downloadEntry(root: string, name: string): Promise<CacheItem | undefined> {
  const dir = join(root, name);
  const meta = await readFile(join(dir, "meta.json"), "utf8")
    .then((text) => JSON.parse(text) as { url?: string; size?: number; storedAt?: string })
    .catch(() => undefined);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return undefined;
  const stored = meta?.storedAt === undefined ? Number.NaN : Date.parse(meta.storedAt);
  return {
    kind: "download",
    name: dir,
    source: meta?.url ?? "(incomplete entry)",
    sizeBytes: meta?.size,
    since: Number.isNaN(stored) ? info.mtime : new Date(stored),
    inUse: await isLocked(dir),
  };
}

/** A download holds the entry's lock and touches it every 20 s; older locks are a crash's. */
async function isLocked(dir: string): Promise<boolean> {
  const lock = await stat(join(dir, "lock")).catch(() => undefined);
  return lock !== undefined && Date.now() - lock.mtimeMs < staleLockMs;
}
