import { InternalError } from "../../errors.js";
import type { Action, DownloadAction } from "../actions.js";
import type { DesiredLrp } from "../desired-lrp.js";
import type { ParseResult } from "../request.js";
import { JsonReader } from "./json-reader.js";
import { parseAction, readActionField } from "./parse-action.js";
import { readContainerSpec } from "./parse-common.js";
import {
  createParseContext,
  detectEra,
  subjectOf,
  type ParseContext,
  type ParseOptions,
} from "./parse-context.js";
import { readCheckDefinition } from "./read-check-definition.js";
import { readRoutes } from "./read-routes.js";
import { requireKind } from "./request-kind.js";

/**
 * Reads a desired LRP: BBS DesiredLRP (nsync logs, cfdot) or receptor DesiredLRPCreateRequest.
 * Throws InvalidInputError listing every problem, or when the input is a task.
 */
export function parseDesiredLrp(
  json: unknown,
  options: ParseOptions = {},
): ParseResult<DesiredLrp> {
  const object = requireKind(json, "lrp", options.origin);
  const ctx = createParseContext();
  const reader = new JsonReader(object, "$", ctx.log);
  const processGuid = reader.requiredString("process_guid");
  const domain = reader.string("domain") ?? "";
  const instances = readInstances(reader);
  const { spec, exclusiveDownloads } = readContainerSpec(reader, ctx);
  const recordedSetup = readOptionalAction(reader, "setup", ctx);
  const action = readActionField(reader, "action", ctx);
  const monitor = readOptionalAction(reader, "monitor", ctx);
  const checkDefinition = readCheckDefinition(reader, ctx);
  const startTimeoutMs = readStartTimeoutMs(reader, ctx);
  const ports = readPorts(reader);
  const routes = readRoutes(reader);
  readUnreplayedFields(reader);
  reader.finish();
  ctx.log.throwIfErrors(subjectOf("Desired LRP", options));
  if (!action) throw new InternalError("Desired LRP without errors but without an action");
  const value: DesiredLrp = {
    kind: "lrp",
    era: detectEra(ctx.eraHints),
    processGuid,
    domain,
    instances,
    ...spec,
    setup: composeSetup(exclusiveDownloads, recordedSetup),
    action,
    monitor,
    checkDefinition,
    startTimeoutMs,
    ports,
    routes,
  };
  return { value, warnings: ctx.log.warnings };
}

function readOptionalAction(
  reader: JsonReader,
  key: string,
  ctx: ParseContext,
): Action | undefined {
  return reader.has(key) ? parseAction(reader.raw(key), reader.pathOf(key), ctx) : undefined;
}

/** BBS emits `instances` always; a hand-written request without it gets one instance. */
function readInstances(reader: JsonReader): number {
  const instances = reader.number("instances", { min: 0 });
  if (instances === undefined && !reader.has("instances")) {
    reader.log.warn(reader.pathOf("instances"), "missing; assuming 1 instance");
    return 1;
  }
  return instances ?? 1;
}

/** `start_timeout_ms` when > 0 (BBS ≥ mid-2016), else `start_timeout` in seconds; 0 = not set. */
function readStartTimeoutMs(reader: JsonReader, ctx: ParseContext): number {
  const ms = reader.number("start_timeout_ms", { min: 0 });
  const seconds = reader.number("start_timeout", { min: 0 });
  if (ms !== undefined && ms > 0) {
    ctx.eraHints.add("cc");
    return ms;
  }
  return (seconds ?? 0) * 1000;
}

function readPorts(reader: JsonReader): number[] {
  return (reader.array("ports") ?? []).flatMap((element) => {
    const port = element.value;
    if (typeof port === "number" && Number.isInteger(port) && port >= 0 && port <= 65535) {
      return [port];
    }
    reader.log.error(element.path, `expected a port number (0-65535), got ${JSON.stringify(port)}`);
    return [];
  });
}

/**
 * EXCLUSIVE image layers run in a `parallel` before the recorded setup
 * (docs/diego.md §2.5: Serial(parallel, setup)).
 */
function composeSetup(
  exclusive: DownloadAction[],
  recorded: Action | undefined,
): Action | undefined {
  if (exclusive.length === 0) return recorded;
  const layers: Action = { kind: "parallel", actions: exclusive };
  return recorded ? { kind: "serial", actions: [layers, recorded] } : layers;
}

/**
 * Known fields a replay does not act on. `sidecars` warns: the executor does not run that field
 * either (Cloud Controller puts an app's sidecars into `action`, as codependent run actions,
 * which restager runs), but an LRP written by other means may expect it to.
 */
function readUnreplayedFields(reader: JsonReader): void {
  reader.ignore("modification_tag", "update_strategy");
  const sidecars = reader.array("sidecars");
  if (sidecars && sidecars.length > 0) {
    reader.log.warn(reader.pathOf("sidecars"), "sidecars are not replayed; ignored");
  }
}
