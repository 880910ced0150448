import { findActions } from "../diego/actions.js";
import type { TaskDefinition } from "../diego/task-definition.js";
import type { PrefetchRequest } from "./prefetching-downloader.js";

/**
 * The downloads worth starting early: every download action of the setup and main action
 * trees, wherever it sits (serial, try, timeout...). Uploads are never started early.
 */
export function prefetchRequests(definition: TaskDefinition): PrefetchRequest[] {
  const trees = [definition.setup, definition.action].filter((action) => action !== undefined);
  return trees
    .flatMap((tree) => findActions(tree, "download"))
    .map(({ from, cacheKey, checksum }) => ({ url: from, cacheKey, checksum }));
}
