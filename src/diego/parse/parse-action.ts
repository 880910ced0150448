import { actionKinds, type Action, type ActionKind } from "../actions.js";
import { childPath, describeJsonType } from "./issue-log.js";
import { JsonReader, isJsonObject } from "./json-reader.js";
import type { ParseContext } from "./parse-context.js";
import { parseDownload, parseRun, parseUpload } from "./parse-leaf-actions.js";

const knownKinds = actionKinds.join(", ");

function isActionKind(key: string): key is ActionKind {
  return (actionKinds as readonly string[]).includes(key);
}

/**
 * Reads one action envelope (`{"<kind>": {...}}`, docs/diego.md §3.1) found at `path`.
 * Returns undefined when the action is unusable; the reason is in `ctx.log`, and siblings are
 * still read so that every problem in the tree is reported.
 */
export function parseAction(value: unknown, path: string, ctx: ParseContext): Action | undefined {
  if (!isJsonObject(value)) {
    ctx.log.error(path, `expected an action object, got ${describeJsonType(value)}`);
    return undefined;
  }
  const keys = Object.keys(value);
  const [kind] = keys;
  if (kind === undefined || keys.length > 1) {
    const found = keys.length === 0 ? "no key" : `${keys.length} keys (${keys.join(", ")})`;
    ctx.log.error(
      path,
      `an action has exactly one key naming its type (one of ${knownKinds}); found ${found}`,
    );
    return undefined;
  }
  if (!isActionKind(kind)) {
    ctx.log.error(path, `unknown action type "${kind}"; expected one of ${knownKinds}`);
    return undefined;
  }
  const body = JsonReader.of(value[kind], childPath(path, kind), ctx.log);
  if (!body) return undefined;
  const action = parseBody(kind, body, ctx);
  body.finish();
  return action;
}

function parseBody(kind: ActionKind, body: JsonReader, ctx: ParseContext): Action | undefined {
  const logSource = body.string("log_source") || undefined;
  switch (kind) {
    case "download":
      return parseDownload(body, ctx, logSource);
    case "upload":
      return parseUpload(body, ctx, logSource);
    case "run":
      return parseRun(body, ctx, logSource);
    case "emit_progress":
      return parseEmitProgress(body, ctx, logSource);
    case "timeout":
      return parseTimeout(body, ctx, logSource);
    case "try": {
      const action = parseChild(body, ctx);
      return action && { kind, action, logSource };
    }
    case "serial":
    case "parallel":
    case "codependent":
      return parseGroup({ kind, logSource }, body, ctx);
  }
}

/**
 * A required action-valued field: the nested `action` of a wrapper (emit_progress, timeout, try),
 * or the top-level `action` of a task or desired LRP.
 */
export function readActionField(
  reader: JsonReader,
  key: string,
  ctx: ParseContext,
): Action | undefined {
  if (!reader.has(key)) {
    ctx.log.error(reader.pathOf(key), "missing");
    return undefined;
  }
  return parseAction(reader.raw(key), reader.pathOf(key), ctx);
}

function parseChild(body: JsonReader, ctx: ParseContext): Action | undefined {
  return readActionField(body, "action", ctx);
}

function parseEmitProgress(
  body: JsonReader,
  ctx: ParseContext,
  logSource: string | undefined,
): Action | undefined {
  const action = parseChild(body, ctx);
  const startMessage = body.string("start_message") ?? "";
  const successMessage = body.string("success_message") ?? "";
  const failureMessagePrefix = body.string("failure_message_prefix") ?? "";
  if (!action) return undefined;
  return {
    kind: "emit_progress",
    action,
    startMessage,
    successMessage,
    failureMessagePrefix,
    logSource,
  };
}

function parseTimeout(
  body: JsonReader,
  ctx: ParseContext,
  logSource: string | undefined,
): Action | undefined {
  const action = parseChild(body, ctx);
  const timeoutMs = readTimeoutMs(body, ctx);
  if (!action || timeoutMs === undefined) return undefined;
  return { kind: "timeout", action, timeoutMs, logSource };
}

/**
 * `timeout_ms` when > 0 (BBS ≥ mid-2016), else `timeout` in nanoseconds (receptor and early BBS;
 * later BBS fills it only for old clients). A timeout must be positive.
 */
function readTimeoutMs(body: JsonReader, ctx: ParseContext): number | undefined {
  const ms = body.number("timeout_ms");
  const ns = body.number("timeout");
  if (ms !== undefined && ms > 0) {
    ctx.eraHints.add("cc");
    return ms;
  }
  if (ns !== undefined && ns > 0) return ns / 1e6;
  const rawMs = body.raw("timeout_ms");
  const rawNs = body.raw("timeout");
  if (rawMs === undefined && rawNs === undefined) {
    ctx.log.error(body.pathOf("timeout_ms"), "missing (neither timeout_ms nor timeout is set)");
  } else if (typeof rawMs === "number" && rawNs === undefined) {
    ctx.log.error(
      body.pathOf("timeout_ms"),
      `must be a positive number of milliseconds (got ${rawMs})`,
    );
  } else if (typeof rawNs === "number") {
    ctx.log.error(
      body.pathOf("timeout"),
      `must be a positive number of nanoseconds (got ${rawNs})`,
    );
  }
  return undefined;
}

function parseGroup(
  group: { kind: "serial" | "parallel" | "codependent"; logSource: string | undefined },
  body: JsonReader,
  ctx: ParseContext,
): Action | undefined {
  const { kind, logSource } = group;
  if (!Object.hasOwn(body.fields, "actions")) {
    ctx.log.error(body.pathOf("actions"), "missing");
    return undefined;
  }
  const elements = body.array("actions") ?? [];
  const actions = elements.map((element) => parseAction(element.value, element.path, ctx));
  const usable = actions.filter((action) => action !== undefined);
  if (usable.length !== actions.length) return undefined;
  return { kind, actions: usable, logSource };
}
