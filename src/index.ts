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
} from "./request-input/load-request.js";
// The typed parser alone, for JSON already in hand (issues name their JSON path).
export { parseRequest } from "./diego/parse/parse-request.js";
export type { ParseOptions } from "./diego/parse/parse-context.js";
export type { DiegoRequest, ParseResult } from "./diego/request.js";
export type { TaskRequest, TaskDefinition } from "./diego/task-definition.js";
export type { DesiredLrp } from "./diego/desired-lrp.js";
export type { Action } from "./diego/actions.js";

// ── Finding requests in logs ───────────────────────────────────────────────────────────────
export { findLatestRequest } from "./request-input/scrape/find-latest-request.js";
export {
  matchingRequests,
  type MatchOptions,
  type RequestFamily,
} from "./request-input/scrape/matching-requests.js";
export {
  fileLogInput,
  streamLogInput,
  textLogInput,
  type LogInput,
} from "./request-input/scrape/log-input.js";
export type {
  FoundRequest,
  ScrapeLogger,
  ScrapeOptions,
} from "./request-input/scrape/scrape-requests.js";
export { summarizeRequest, type RequestSummary } from "./request-input/scrape/request-summary.js";
export { defaultLogPaths } from "./request-input/scrape/default-log-paths.js";

// ── Explaining a request ───────────────────────────────────────────────────────────────────
export { buildPlan } from "./diego/explain/build-plan.js";
export { renderPlan } from "./diego/explain/render-plan.js";
export { toJsonView } from "./diego/explain/json-view.js";
export type { ExplainPlan } from "./diego/explain/explain-plan.js";

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

// ── Use cases: the very functions the CLI's commands run (src/app) ────────────────────────────
// Each takes plain options and the ports it needs (src/cli/wiring/ shows how the CLI builds the
// real adapters), and returns a report instead of printing.
export {
  explain,
  type ExplainRequest,
  type ExplainPorts,
  type ExplainReport,
} from "./app/explain.js";
export { findRequest, type FindRequest, type FindRequestPorts } from "./app/find-request.js";
export {
  runRestage,
  restageTarget,
  type RestageRunOptions,
  type RestagePorts,
  type RestageReport,
  type RestageEvent,
} from "./app/restage.js";
export {
  runImage,
  type ImageOptions,
  type ImagePorts,
  type ImagePublishing,
  type ImageRun,
} from "./app/image.js";
export type { ProgressReporter } from "./app/progress.js";
export { launch, type LaunchReport } from "./app/launch.js";
export type { LaunchRequest, LaunchPorts, LaunchProgress } from "./app/launch/launch-request.js";

// ── The real adapters, to build the use cases' ports (as src/cli/wiring/ does) ───────────────
export { DockerRuntime } from "./container/docker-runtime.js";
export { DockerApps } from "./container/docker-apps.js";
export { DockerImageStore } from "./container/docker-image-store.js";
export { DockerSwarm } from "./container/docker-swarm.js";
export { TarArchives } from "./archive/tar-archives.js";
export { createHttpClients, type HttpClientsOptions } from "./http/http-clients.js";
