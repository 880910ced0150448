import { createRequire } from "node:module";
import type { JSONPath as JSONPathFunction } from "jsonpath-plus";

/**
 * The engine, loaded on the first query (its CommonJS build: loading the ES module cost about
 * twice as much): `--all` and the latest request never query, and start-up pays for every
 * module (issue 14).
 */
let engine: typeof JSONPathFunction | undefined;
function jsonPath(): typeof JSONPathFunction {
  engine ??= (createRequire(import.meta.url)("jsonpath-plus") as typeof import("jsonpath-plus"))
    .JSONPath;
  return engine;
}

/**
 * Every JSONPath expression the scraper uses, named. Payload queries run on the
 * request object (TaskDefinition, TaskCreateRequest, DesiredLRP, CC message); session queries
 * run on the lager `data` object around it.
 */
export const queries = {
  /** VCAP_APPLICATION in any env list: run actions, container env (docs/diego.md §2.3, §4.3). */
  vcapApplicationInEnv: "$..env[?(@ && @.name === 'VCAP_APPLICATION')].value",
  /** VCAP_APPLICATION in a Cloud Controller message's `environment` (§2.1, §4.1). */
  vcapApplicationInEnvironment: "$.environment[?(@ && @.name === 'VCAP_APPLICATION')].value",
  rootfs: "$.rootfs",
  /** Receptor requests before 2015-02-04 (§2.2). */
  legacyRootfs: "$.root_fs",
  /** Top-level stack: receptor requests before 2015-03-23, CC messages before 2015-04-07. */
  legacyStack: "$.stack",
  /** StagingRequestFromCC (§2.1). */
  lifecycleStack: "$.lifecycle_data.stack",
  taskGuid: "$.task_guid",
  processGuid: "$.process_guid",
  logGuid: "$.log_guid",
  /** StagingRequestFromCC's app guid. */
  appId: "$.app_id",
  /** `<stager>/v1/staging/<staging-guid>/completed` on BBS task definitions (§2.3). */
  completionCallbackUrl: "$.completion_callback_url",
  sessionAppId: "$['app-id']",
  sessionStagingGuid: "$['staging-guid']",
  sessionProcessGuid: "$['process-guid']",
} as const;

export type QueryName = keyof typeof queries;

/** The string results of a named query, in document order. */
export function queryStrings(json: object, name: QueryName): string[] {
  const results: unknown = jsonPath()({ path: queries[name], json, wrap: true, eval: "safe" });
  return Array.isArray(results)
    ? results.filter((value): value is string => typeof value === "string")
    : [];
}

/** The first non-empty string result of a named query. */
export function queryString(json: object, name: QueryName): string | undefined {
  return queryStrings(json, name).find((value) => value !== "");
}
