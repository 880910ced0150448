import type { Action, DownloadAction } from "../diego/actions.js";
import type { CachedDependency } from "../diego/common.js";

/**
 * Diego downloads `cached_dependencies` on the cell and bind-mounts them read-only before the
 * container starts (diego-reference.md §3.11). restager never bind-mounts (it must work from
 * inside a container with only the Docker socket), so each dependency becomes a download into
 * the container, owned by root like a read-only mount, all in parallel — the same conversion
 * BBS applies for V0 clients.
 */
export function cachedDependenciesAction(
  dependencies: readonly CachedDependency[],
): Action | undefined {
  if (dependencies.length === 0) return undefined;
  const downloads: DownloadAction[] = dependencies.map((dependency) => ({
    kind: "download",
    artifact: dependency.name,
    from: dependency.from,
    to: dependency.to,
    cacheKey: dependency.cacheKey,
    user: "root",
    checksum: dependency.checksum,
    logSource: dependency.logSource || undefined,
  }));
  return { kind: "parallel", actions: downloads };
}
