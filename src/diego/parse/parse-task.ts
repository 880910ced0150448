import { InternalError } from "../../errors.js";
import type { ParseResult } from "../request.js";
import type { TaskDefinition, TaskRequest, TaskState } from "../task-definition.js";
import { JsonReader } from "./json-reader.js";
import { readActionField } from "./parse-action.js";
import { readContainerSpec } from "./parse-common.js";
import {
  createParseContext,
  detectEra,
  subjectOf,
  type ParseContext,
  type ParseOptions,
} from "./parse-context.js";
import { requireKind } from "./request-kind.js";

/** cfdot's Task state enum by protobuf number. */
const taskStates = ["Invalid", "Pending", "Running", "Completed", "Resolving"];

/** Keys of a cfdot Task that are not part of the TaskDefinition (docs/diego.md §1.7). */
const cfdotKeys = [
  "created_at",
  "updated_at",
  "first_completed_at",
  "state",
  "cell_id",
  "result",
  "failed",
  "failure_reason",
];

/**
 * Reads a task in any of its encodings: a BBS TaskDefinition (stager logs, Cloud Controller), a
 * receptor TaskCreateRequest (definition plus `task_guid`/`domain`), or a cfdot Task (definition
 * flattened or nested under `task_definition`, plus state fields). Throws InvalidInputError
 * listing every problem, or when the input is a desired LRP.
 */
export function parseTaskRequest(
  json: unknown,
  context: ParseOptions = {},
): ParseResult<TaskRequest> {
  const object = requireKind(json, "task", context.origin);
  const ctx = createParseContext();
  const root = new JsonReader(object, "$", ctx.log);
  const taskGuid = root.string("task_guid") || undefined;
  const domain = root.string("domain") || undefined;
  const state = readTaskState(root, ctx);
  if (taskGuid && !state) ctx.eraHints.add("receptor");
  const nested = root.object("task_definition");
  const definition = readTaskDefinition(nested ?? root, ctx);
  nested?.finish();
  root.finish();
  ctx.log.throwIfErrors(subjectOf("Task definition", context));
  if (!definition) throw new InternalError("Task definition without errors but without an action");
  const value: TaskRequest = {
    kind: "task",
    era: detectEra(ctx.eraHints),
    taskGuid: taskGuid ?? context.taskGuid,
    domain,
    definition,
    state,
  };
  return { value, warnings: ctx.log.warnings };
}

function readTaskDefinition(reader: JsonReader, ctx: ParseContext): TaskDefinition | undefined {
  const { spec, exclusiveDownloads } = readContainerSpec(reader, ctx);
  const action = readActionField(reader, "action", ctx);
  const resultFile = reader.string("result_file") ?? "";
  const completionCallbackUrl = reader.string("completion_callback_url") ?? "";
  if (!action) return undefined;
  const setup =
    exclusiveDownloads.length > 0
      ? { kind: "parallel" as const, actions: exclusiveDownloads }
      : undefined;
  return { ...spec, action, setup, resultFile, completionCallbackUrl };
}

/** cfdot Task fields; undefined when the input is not a cfdot Task. */
function readTaskState(root: JsonReader, ctx: ParseContext): TaskState | undefined {
  root.ignore("rejection_count", "rejection_reason");
  const isCfdot =
    cfdotKeys.some((key) => Object.hasOwn(root.fields, key)) || root.has("task_definition");
  if (!isCfdot) return undefined;
  ctx.eraHints.add("cc");
  return {
    state: readStateName(root),
    createdAtNs: root.number("created_at"),
    updatedAtNs: root.number("updated_at"),
    cellId: root.string("cell_id") || undefined,
    result: root.string("result") || undefined,
    failed: root.boolean("failed"),
    failureReason: root.string("failure_reason") || undefined,
  };
}

/** `state` is an enum name ("Pending") or its number (1), depending on the cfdot version. */
function readStateName(root: JsonReader): string {
  root.ignore("first_completed_at");
  const raw = root.raw("state");
  if (raw === undefined) return "";
  if (typeof raw === "number" && taskStates[raw] !== undefined) return taskStates[raw];
  if (typeof raw === "string") {
    return taskStates.find((name) => name.toLowerCase() === raw.toLowerCase()) ?? raw;
  }
  root.log.error(
    root.pathOf("state"),
    `expected a task state name or number, got ${JSON.stringify(raw)}`,
  );
  return "";
}
