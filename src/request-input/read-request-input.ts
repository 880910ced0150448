import { InvalidInputError, NoInputError } from "../errors.js";
import { payloadKeys } from "./scrape/classify-line.js";
import { findLatestRequest } from "./scrape/find-latest-request.js";
import { findMarkers } from "./scrape/find-markers.js";
import { jsonSpan } from "./scrape/json-span.js";
import { isObject, parseLagerLine } from "./scrape/lager-line.js";
import { textLogInput } from "./scrape/log-input.js";
import { markedRequestError, notReplayableError, originOf } from "./scrape/request-errors.js";
import { describeRequest } from "./scrape/request-meta.js";
import { guessRequestKind } from "./guess-request-kind.js";
import { locateJsonSyntaxError } from "./json-syntax-error.js";
import { pipeHint, readAllInput, type InputSource } from "./read-all-input.js";

export type ExpectedKind = "task" | "lrp" | "any";

/** A request as read, before the typed parser sees it. */
export interface RequestInput {
  /** The request JSON, parsed (nanosecond integers may have lost precision; rawText has not). */
  payload: unknown;
  /** The request's JSON text exactly as it appeared in the input. */
  rawText: string;
  /** "stdin", "task.json", "stager.log:123". */
  origin: string;
  kind: "task" | "lrp" | "unknown";
  meta: {
    appId?: string | undefined;
    appName?: string | undefined;
    stagingGuid?: string | undefined;
    processGuid?: string | undefined;
    /** RFC3339 time of the log line, when the request came from a log. */
    timestamp?: string | undefined;
  };
}

/**
 * Reads one request from a file or stdin, whatever its shape: the request JSON itself (a
 * TaskDefinition, cfdot output, a DesiredLRP), a lager `data` object, one lager line, or many log
 * lines (the latest request of the expected kind, optionally for `options.app`, is taken).
 * `options.app` only filters log lines; a single request given as JSON is taken as it is.
 * Redacted/truncated payloads and Cloud Controller messages are refused (InvalidInputError).
 */
export async function readRequestInput(
  source: InputSource,
  expected: ExpectedKind,
  options: { app?: string } = {},
): Promise<RequestInput> {
  const read = await readAllInput(source);
  const { name, text } = read;
  if (text.trim() === "")
    throw new NoInputError(`${name} is empty: no request to read`, { hint: pipeHint });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (looksLikeLog(text)) return fromLogText(read, expected, options.app);
    throw syntaxError(name, text);
  }
  if (isObject(value) && typeof value.message === "string" && isObject(value.data)) {
    return fromLogText(read, expected, options.app);
  }
  const dataKey = isObject(value) ? findDataKey(value) : undefined;
  if (isObject(value) && dataKey)
    return fromDataObject(read, { data: value, ...dataKey }, expected);
  return fromPlainRequest(read, value, expected);
}

/** The input as read: its name for messages and its text. */
interface ReadText {
  name: string;
  text: string;
}

async function fromLogText(
  { name, text }: ReadText,
  expected: ExpectedKind,
  app: string | undefined,
): Promise<RequestInput> {
  const found = await findLatestRequest([textLogInput(name, text)], { family: expected, app });
  const kind = found.kind === "task" || found.kind === "lrp" ? found.kind : "unknown";
  return request(
    { payload: found.payload, rawText: found.rawText, origin: originOf(found), kind },
    {
      ...found.meta,
      timestamp: found.time?.iso,
    },
  );
}

/** The first key of a lager `data` object holding a task or LRP. */
function findDataKey(
  value: Record<string, unknown>,
): { key: string; kind: "task" | "lrp" } | undefined {
  for (const { key, kind } of payloadKeys) {
    if ((kind === "task" || kind === "lrp") && isObject(value[key])) return { key, kind };
  }
  return undefined;
}

function fromDataObject(
  { name, text }: ReadText,
  { data, key, kind }: { data: Record<string, unknown>; key: string; kind: "task" | "lrp" },
  expected: ExpectedKind,
): RequestInput {
  assertExpectedKind(name, kind, expected);
  const payload = data[key] as Record<string, unknown>;
  const span = jsonSpan(text, text.search(/\S/), [key]);
  const rawText = span ? text.slice(span.start, span.end) : JSON.stringify(payload);
  assertUnmarked(name, kind, payload);
  return request({ payload, rawText, origin: name, kind }, describeRequest(payload, data));
}

function fromPlainRequest(
  { name, text }: ReadText,
  value: unknown,
  expected: ExpectedKind,
): RequestInput {
  const guessed = isObject(value) ? guessRequestKind(value) : "unknown";
  if (guessed === "staging-request" || guessed === "desire-app-request") {
    throw notReplayableError(name, guessed);
  }
  if (guessed !== "unknown") assertExpectedKind(name, guessed, expected);
  assertUnmarked(name, guessed, value);
  const meta = isObject(value) ? describeRequest(value) : {};
  return request({ payload: value, rawText: text.trim(), origin: name, kind: guessed }, meta);
}

function request(
  { payload, rawText, origin, kind }: Omit<RequestInput, "meta">,
  meta: RequestInput["meta"],
): RequestInput {
  const { appId, appName, stagingGuid, processGuid, timestamp } = meta;
  return {
    payload,
    rawText,
    origin,
    kind,
    meta: { appId, appName, stagingGuid, processGuid, timestamp },
  };
}

const kindNames = { task: "a staging task", lrp: "a desired LRP" } as const;

function assertExpectedKind(name: string, kind: "task" | "lrp", expected: ExpectedKind): void {
  if (expected === "any" || expected === kind) return;
  throw new InvalidInputError(`${name} holds ${kindNames[kind]}, not ${kindNames[expected]}`, [], {
    hint: "Stage with a staging task (build_req's output); launch with a desired LRP (launch_req's output)",
  });
}

function assertUnmarked(name: string, kind: "task" | "lrp" | "unknown", payload: unknown): void {
  const markers = findMarkers(payload);
  if (markers.length > 0) throw markedRequestError(name, kind, markers);
}

/** True when some line is a lager entry; stops at the first. */
function looksLikeLog(text: string): boolean {
  for (let start = 0; start < text.length;) {
    const end = text.indexOf("\n", start);
    const line = text.slice(start, end < 0 ? text.length : end);
    if (line.includes('"message"') && parseLagerLine(line) !== undefined) return true;
    start = end < 0 ? text.length : end + 1;
  }
  return false;
}

function syntaxError(name: string, text: string): InvalidInputError {
  const located = locateJsonSyntaxError(text);
  const where = located
    ? ` at line ${located.line}, column ${located.column}: ${located.message}`
    : "";
  return new InvalidInputError(`${name} is neither JSON nor lager log lines${where}`, [], {
    hint: "Give a task definition or desired LRP as JSON (cfdot output works), or lager lines from the stager/nsync logs",
  });
}
