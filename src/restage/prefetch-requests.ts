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

/** The users the task's downloads and processes run as, for Container.readAhead. */
export function actionUsers(definition: TaskDefinition): string[] {
  const trees = [definition.setup, definition.action].filter((action) => action !== undefined);
  const users = trees.flatMap((tree) => [
    ...findActions(tree, "download").map((action) => action.user),
    ...findActions(tree, "run").map((action) => action.user),
  ]);
  return [...new Set(users)];
}
