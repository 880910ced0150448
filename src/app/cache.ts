/**
 * The `cache` use case: what restager keeps between runs (dependency volumes, lifecycle base
 * images, downloads), and removing what is older than a given age.
 */
import {
  listCache,
  pruneCandidates,
  removeCacheItem,
  type CacheDeps,
  type CacheItem,
} from "../cache/cache-contents.js";
import { parseAge } from "../cache/parse-age.js";

export interface CacheRequest {
  action: "ls" | "prune";
  cacheDir: string;
  /** prune: only what was made longer ago than this (`90s`, `7d`, ...). */
  olderThan?: string | undefined;
  /** prune: remove; without it, only say what would be removed. */
  force: boolean;
}

export interface CachePorts {
  /** The engine's volume and image stores (made once the request is checked). */
  stores: () => Omit<CacheDeps, "cacheDir">;
}

export type CacheReport =
  | { kind: "ls"; items: CacheItem[]; now: Date }
  | { kind: "prune"; chosen: CacheItem[]; removed: CacheItem[]; force: boolean };

export async function cacheContents(
  request: CacheRequest,
  ports: CachePorts,
): Promise<CacheReport> {
  const olderThanMs = request.olderThan === undefined ? undefined : parseAge(request.olderThan);
  const deps = { ...ports.stores(), cacheDir: request.cacheDir };
  const items = await listCache(deps);
  const now = new Date();
  const { force } = request;
  if (request.action === "ls") return { kind: "ls", items, now };
  const chosen = pruneCandidates(items, { olderThanMs, now });
  const removed: CacheItem[] = [];
  if (force) {
    for (const item of chosen) if (await removeCacheItem(item, deps)) removed.push(item);
  }
  return { kind: "prune", chosen, removed, force };
}
