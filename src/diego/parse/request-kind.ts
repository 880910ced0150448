import { InvalidInputError } from "../../errors.js";
import { describeJsonType } from "./issue-log.js";
import { isJsonObject } from "./json-reader.js";

export type RequestKind = "task" | "lrp";

/** Keys only desired LRPs have (BBS DesiredLRP, receptor DesiredLRPCreateRequest, cfdot). */
const lrpKeys = [
  "process_guid",
  "instances",
  "monitor",
  "ports",
  "setup",
  "routes",
  "start_timeout",
  "start_timeout_ms",
  "check_definition",
  "sidecars",
];

/** "lrp" when the object has any LRP-only key, else "task". */
export function requestKindOf(json: Readonly<Record<string, unknown>>): RequestKind {
  return lrpKeys.some((key) => Object.hasOwn(json, key)) ? "lrp" : "task";
}

/** The request as a JSON object, or InvalidInputError when it is anything else. */
export function requireObject(json: unknown): Record<string, unknown> {
  if (isJsonObject(json)) return json;
  const got = describeJsonType(json);
  throw new InvalidInputError(
    `The request is not a JSON object (got ${got})`,
    [{ path: "$", message: `expected an object, got ${got}` }],
    {
      hint: "Give one task definition or desired LRP as a JSON object: cfdot output, or the taskDefinition/desiredLRP of a log line",
    },
  );
}

/**
 * The request as a JSON object of the expected kind; otherwise InvalidInputError naming the
 * commands that take the kind that was given.
 */
export function requireKind(
  json: unknown,
  expected: RequestKind,
  origin?: string,
): Record<string, unknown> {
  const object = requireObject(json);
  const request = origin ? `The request in ${origin}` : "This request";
  const actual = requestKindOf(object);
  if (actual === expected) return object;
  if (actual === "lrp") {
    const key = lrpKeys.find((k) => Object.hasOwn(object, k)) ?? "process_guid";
    const issue = { path: key, message: "only desired LRPs have this field" };
    throw new InvalidInputError(`${request} is a desired LRP, not a task`, [issue], {
      hint: "build-req and restage take staging tasks; use launch-req or launch for a desired LRP",
    });
  }
  const issue = { path: "process_guid", message: "missing: the request has no desired-LRP field" };
  throw new InvalidInputError(`${request} is a task, not a desired LRP`, [issue], {
    hint: "launch-req and launch take desired LRPs; use build-req or restage for a staging task",
  });
}
