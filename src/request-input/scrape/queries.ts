/**
 * Every JSONPath expression the scraper uses, named, with its evaluation. Payload queries run on
 * the request object (TaskDefinition, TaskCreateRequest, DesiredLRP, CC message); session
 * queries run on the lager `data` object around it.
 *
 * The expressions are the specification; each is evaluated by a few lines of plain code that
 * give exactly what jsonpath-plus gives for it (own members only, recursive descent in document
 * order, a filter over an array's items or an object's values), and the unit test
 * (test/unit/request-input/scrape/queries.test.ts) checks that on every fixture payload. A
 * JSONPath engine took about a millisecond per request for the recursive descent, and its
 * loading was a tenth of a small scrape's start-up (issue 14 goal 4).
 */
export const queries = {
  /** VCAP_APPLICATION in any env list: run actions, container env (docs/diego.md §2.3, §4.3). */
  vcapApplicationInEnv: {
    path: "$..env[?(@ && @.name === 'VCAP_APPLICATION')].value",
    select: (json) => envListsBelow(json).flatMap(vcapValuesIn),
  },
  /** VCAP_APPLICATION in a Cloud Controller message's `environment` (§2.1, §4.1). */
  vcapApplicationInEnvironment: {
    path: "$.environment[?(@ && @.name === 'VCAP_APPLICATION')].value",
    select: (json) => members(json, ["environment"]).flatMap(vcapValuesIn),
  },
  rootfs: member("$.rootfs", "rootfs"),
  /** Receptor requests before 2015-02-04 (§2.2). */
  legacyRootfs: member("$.root_fs", "root_fs"),
  /** Top-level stack: receptor requests before 2015-03-23, CC messages before 2015-04-07. */
  legacyStack: member("$.stack", "stack"),
  /** StagingRequestFromCC (§2.1). */
  lifecycleStack: member("$.lifecycle_data.stack", "lifecycle_data", "stack"),
  taskGuid: member("$.task_guid", "task_guid"),
  processGuid: member("$.process_guid", "process_guid"),
  logGuid: member("$.log_guid", "log_guid"),
  /** StagingRequestFromCC's app guid. */
  appId: member("$.app_id", "app_id"),
  /** `<stager>/v1/staging/<staging-guid>/completed` on BBS task definitions (§2.3). */
  completionCallbackUrl: member("$.completion_callback_url", "completion_callback_url"),
  sessionAppId: member("$['app-id']", "app-id"),
  sessionStagingGuid: member("$['staging-guid']", "staging-guid"),
  sessionProcessGuid: member("$['process-guid']", "process-guid"),
} as const satisfies Record<string, Query>;

export type QueryName = keyof typeof queries;

interface Query {
  /** The JSONPath expression. */
  path: string;
  /** Its results, in document order. */
  select: (json: unknown) => unknown[];
}

/** The string results of a named query, in document order. */
export function queryStrings(json: object, name: QueryName): string[] {
  return queries[name].select(json).filter((value): value is string => typeof value === "string");
}

/** The first non-empty string result of a named query. */
export function queryString(json: object, name: QueryName): string | undefined {
  return queryStrings(json, name).find((value) => value !== "");
}

/** `$.a.b`: the value at an own-member chain, if every step is there. */
function member(path: string, ...keys: string[]): Query {
  return { path, select: (json) => members(json, keys) };
}

function members(json: unknown, keys: readonly string[]): unknown[] {
  let value = json;
  for (const key of keys) {
    if (!hasMember(value, key)) return [];
    value = value[key];
  }
  return [value];
}

/** `$..env`: every own `env` member at any depth, the node's own before its children's. */
function envListsBelow(json: unknown): unknown[] {
  const found: unknown[] = [];
  if (typeof json === "object" && json !== null) collectEnvLists(json, found);
  return found;
}

/**
 * The walk of envListsBelow over a payload from JSON.parse (plain objects and arrays). It visits
 * every node of a request, so it allocates nothing per node: an array's items by index, an
 * object's own members by `for in` (their order is Object.values'). With a closure and
 * Object.values per node it took a third of a `--list` row's time (issue 14 goal 4).
 */
function collectEnvLists(node: object, found: unknown[]): void {
  if (Object.hasOwn(node, "env")) found.push((node as Record<string, unknown>).env);
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index++) {
      const child: unknown = node[index];
      if (typeof child === "object" && child !== null) collectEnvLists(child, found);
    }
    return;
  }
  for (const key in node) {
    if (!Object.hasOwn(node, key)) continue;
    const child: unknown = (node as Record<string, unknown>)[key];
    if (typeof child === "object" && child !== null) collectEnvLists(child, found);
  }
}

/** `[?(@ && @.name === 'VCAP_APPLICATION')].value` applied to one list. */
function vcapValuesIn(list: unknown): unknown[] {
  return childrenOf(list)
    .filter((item) => hasMember(item, "name") && item.name === "VCAP_APPLICATION")
    .flatMap((item) => members(item, ["value"]));
}

/** An array's items or an object's values, in order; nothing for anything else. */
function childrenOf(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return typeof value === "object" && value !== null ? Object.values(value) : [];
}

function hasMember(value: unknown, key: string): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.hasOwn(value, key);
}
