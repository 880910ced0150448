/**
 * Where a staging task got its lifecycle: the cached dependency extracted to /tmp/lifecycle
 * (BBS and CC eras), else a download action to it (receptor era). The image reuses the same
 * tarball — with the same cache key the download cache answers without a transfer.
 */
import { findActions } from "../diego/actions.js";
import type { TaskDefinition } from "../diego/task-definition.js";
import type { DownloadedFile, Downloader } from "../http/ports.js";
import { InvalidInputError } from "../errors.js";
import type { Checksum } from "../core/checksums.js";

export const lifecycleDir = "/tmp/lifecycle";

export interface LifecycleSource {
  url: string;
  cacheKey: string;
  checksum?: Checksum | undefined;
}

/** A staging task, or anything else with cached dependencies and actions (a desired LRP). */
export type LifecycleHolder = Pick<TaskDefinition, "cachedDependencies" | "setup"> & {
  action?: TaskDefinition["action"] | undefined;
};

export function lifecycleSource(definition: LifecycleHolder): LifecycleSource | undefined {
  const isLifecycleDir = (to: string) => to.replace(/\/+$/, "") === lifecycleDir;
  const cached = definition.cachedDependencies.find((dependency) => isLifecycleDir(dependency.to));
  if (cached) return { url: cached.from, cacheKey: cached.cacheKey, checksum: cached.checksum };
  const actions = [definition.setup, definition.action].filter((a) => a !== undefined);
  const download = actions
    .flatMap((action) => findActions(action, "download"))
    .find((action) => isLifecycleDir(action.to));
  if (!download) return undefined;
  return { url: download.from, cacheKey: download.cacheKey, checksum: download.checksum };
}

/** Downloads (usually: finds in the cache) the task's lifecycle tarball. */
export async function fetchLifecycle(
  definition: TaskDefinition,
  downloader: Downloader,
  signal?: AbortSignal,
): Promise<DownloadedFile> {
  const source = lifecycleSource(definition);
  if (!source) {
    throw new InvalidInputError(
      `The task downloads nothing to ${lifecycleDir}: no lifecycle for the image`,
      [],
      {
        hint: "Skip the image with --no-image, or build it with 'restager image --lifecycle FILE ...'",
      },
    );
  }
  return downloader.download({ ...source, signal });
}
