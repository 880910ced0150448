import type { DiegoRequest, ParseResult } from "../request.js";
import { parseDesiredLrp } from "./parse-lrp.js";
import type { ParseOptions } from "./parse-context.js";
import { parseTaskRequest } from "./parse-task.js";
import { requestKindOf, requireKind, requireObject, type RequestKind } from "./request-kind.js";

/**
 * Reads a task or a desired LRP, deciding which by its fields (an LRP has `process_guid`,
 * `instances`, `monitor`, `ports`, `setup`, `routes`…). With `expected`, a request of the other
 * kind is an InvalidInputError whose hint names the commands that take it. `options.taskGuid`
 * fills a task's guid when the JSON has none; `options.origin` is named in error messages.
 */
export function parseRequest(
  json: unknown,
  expected?: RequestKind,
  options: ParseOptions = {},
): ParseResult<DiegoRequest> {
  const object = expected ? requireKind(json, expected, options.origin) : requireObject(json);
  return requestKindOf(object) === "lrp"
    ? parseDesiredLrp(object, options)
    : parseTaskRequest(object, options);
}
