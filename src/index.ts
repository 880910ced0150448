/**
 * restager as a library: the same modules the CLI runs, for tools that build on them
 * (README "Library"). Everything here is ESM and typed (`dist/index.d.ts`).
 *
 * What a library user may rely on is exactly what this file exports; deep imports of
 * `restager/dist/...` are not part of the API (package.json `exports` refuses them).
 */

// ── Reading and parsing a request ──────────────────────────────────────────────────────────
// A task definition or desired LRP from any accepted input: request JSON, cfdot output, a lager
// `data` object or lager log lines (the latest request of the kind is taken).
export {
  loadRequest,
  loadTaskRequest,
  loadLrpRequest,
  type RequestSource,
  type LoadedRequest,
} from "./requests/load-request.js";
// The typed parser alone, for JSON already in hand (issues name their JSON path).
export { parseRequest } from "./diego/parse/parse-request.js";
export type { ParseOptions } from "./diego/parse/parse-context.js";
export type { DiegoRequest, ParseResult } from "./diego/request.js";
export type { TaskRequest, TaskDefinition } from "./diego/task-definition.js";
export type { DesiredLrp } from "./diego/desired-lrp.js";
export type { Action } from "./diego/actions.js";

// ── Finding requests in logs ───────────────────────────────────────────────────────────────
export { findLatestRequest } from "./logs/find-latest-request.js";
export {
  matchingRequests,
  type MatchOptions,
  type RequestFamily,
} from "./logs/matching-requests.js";
export { fileLogInput, streamLogInput, textLogInput, type LogInput } from "./logs/log-input.js";
export type { FoundRequest, ScrapeLogger, ScrapeOptions } from "./logs/scrape-requests.js";
export { summarizeRequest, type RequestSummary } from "./logs/request-summary.js";
export { defaultLogPaths } from "./logs/default-log-paths.js";

// ── Explaining a request ───────────────────────────────────────────────────────────────────
export { buildPlan } from "./diego/plan/build-plan.js";
export { renderPlan } from "./diego/plan/render-plan.js";
export { toJsonView } from "./diego/plan/json-view.js";
export type { Plan } from "./diego/plan/plan.js";

// ── Errors: every failure is a RestagerError with its exit code and hint ────────────────────
export {
  ExitCode,
  RestagerError,
  UsageError,
  InvalidInputError,
  NoInputError,
  UnavailableError,
  CancelledError,
  type InputIssue,
} from "./errors.js";

// ── Use cases (restage, image, launch, ps, stop) ───────────────────────────────────────────
// PLACE FOR THE USE CASES: when src/app/ lands (one module per command, taking options and port
// interfaces, returning a report), export each use case and its options/report types here,
// with the factory that builds the real adapters for it.
