/**
 * Builds a realistic staging TaskDefinition (raw snake_case BBS JSON) pointing at a FakeCf:
 * `stager-2016` (default) is the cc-bridge era tree the patched stager logs (docs/diego.md §2.3);
 * `cc-2024` is the tree Cloud Controller builds today (§2.4: checksums, timeout_ms, no
 * "Staging..." progress, both uploads mandatory, v4 CC URIs, XXH64 buildpack dirs).
 */
import { ccStagingTask } from "./staging-task-cc.js";
import type { StagingTaskOptions, TaskDefinitionJson } from "./staging-task-options.js";
import { stagerStagingTask } from "./staging-task-stager.js";

export function buildStagingTask(options: StagingTaskOptions): TaskDefinitionJson {
  return options.style === "cc-2024" ? ccStagingTask(options) : stagerStagingTask(options);
}

export type {
  StagingBuildpack,
  StagingTaskOptions,
  TaskDefinitionJson,
} from "./staging-task-options.js";
