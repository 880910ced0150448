/**
 * What a plain JSON object most likely is, from its keys (diego-reference.md §2–§4). The parser
 * has the final word; this only routes input and catches the wrong kind early.
 */
export type GuessedKind = "task" | "lrp" | "staging-request" | "desire-app-request" | "unknown";

/** Keys only a desired LRP (BBS DesiredLRP, receptor DesiredLRPCreateRequest, cfdot) has. */
const lrpKeys = [
  "process_guid",
  "instances",
  "monitor",
  "setup",
  "start_timeout_ms",
  "start_timeout",
  "routes",
  "ports",
];
/** Keys only a task (TaskDefinition, TaskCreateRequest, cfdot Task) has. */
const taskKeys = ["task_guid", "task_definition", "result_file", "completion_callback_url"];

export function guessRequestKind(value: Record<string, unknown>): GuessedKind {
  const has = (key: string) => Object.hasOwn(value, key);
  // Cloud Controller's messages to the stager and nsync (§2.1, §4.1) carry their own markers.
  if (has("lifecycle_data") && has("app_id")) return "staging-request";
  if (
    has("process_guid") &&
    (has("droplet_uri") || has("start_command") || has("execution_metadata"))
  ) {
    return "desire-app-request";
  }
  if (lrpKeys.some(has)) return "lrp";
  if (taskKeys.some(has) || has("action")) return "task";
  return "unknown";
}
