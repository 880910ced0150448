/**
 * Reads a request from a file or stdin in any accepted shape (request JSON, cfdot output, lager
 * lines) and parses it into a typed DiegoRequest. The one entry point every command uses.
 */
import { readRequestInput } from "./read-request-input.js";
import { parseRequest } from "../diego/parse/parse-request.js";
import type { DesiredLrp } from "../diego/desired-lrp.js";
import type { DiegoRequest, ParseResult } from "../diego/request.js";
import type { TaskRequest } from "../diego/task-definition.js";
import type { InputIssue } from "../errors.js";

export interface RequestSource {
  /** A file path; "-" or undefined reads stdin. */
  file?: string | undefined;
  stdin: NodeJS.ReadableStream;
  app?: string | undefined;
}

export interface LoadedRequest<T extends DiegoRequest> {
  request: T;
  warnings: InputIssue[];
  /** Where the request came from: "stdin", "task.json", "stager.log:123". */
  origin: string;
}

export async function loadRequest(source: RequestSource): Promise<LoadedRequest<DiegoRequest>> {
  return load(source, "any");
}

export async function loadTaskRequest(source: RequestSource): Promise<LoadedRequest<TaskRequest>> {
  return load(source, "task") as Promise<LoadedRequest<TaskRequest>>;
}

export async function loadLrpRequest(source: RequestSource): Promise<LoadedRequest<DesiredLrp>> {
  return load(source, "lrp") as Promise<LoadedRequest<DesiredLrp>>;
}

async function load(
  source: RequestSource,
  expected: "task" | "lrp" | "any",
): Promise<LoadedRequest<DiegoRequest>> {
  const file = source.file === "-" ? undefined : source.file;
  const input = await readRequestInput(
    { file, stdin: source.stdin },
    expected,
    source.app === undefined ? {} : { app: source.app },
  );
  const parsed: ParseResult<DiegoRequest> = parseRequest(
    input.payload,
    expected === "any" ? undefined : expected,
    { taskGuid: input.meta.stagingGuid, origin: input.origin },
  );
  return { request: parsed.value, warnings: parsed.warnings, origin: input.origin };
}
