import type { Archives } from "../archive/ports.js";
import { networkingEnv } from "../cell-env/networking-env.js";
import type { Container, ContainerRuntime } from "../container/container.js";
import type { Action } from "../diego/actions.js";
import type { TaskRequest } from "../diego/task-definition.js";
import type { TaskLog } from "../diego/task-log.js";
import { runTaskAction, type TaskRunResult } from "../diego/steps/run-task.js";
import type { StepContext, StepSettings } from "../diego/steps/step-context.js";
import { errorMessage } from "../diego/steps/step-errors.js";
import type { Downloader, Uploader } from "../http/ports.js";
import type { CertificateAuthority } from "../pki/ports.js";
import { CellFiles } from "./cell-files.js";
import type { KeptArtifact } from "./kept-artifacts.js";
import { Keepers } from "./keepers.js";
import { LinkedSignal } from "../core/linked-signal.js";
import { completeWithResult, readResultFile, type TaskResult } from "./read-result-file.js";
import { PhaseTimer } from "./phase-timer.js";
import { PrefetchingDownloader } from "./prefetching-downloader.js";
import { prefetchRequests } from "./prefetch-requests.js";
import { StagingDependencies } from "./staging-dependencies.js";
import type { CertificateFile } from "./system-certificates.js";
import type { VolumeTiming } from "./volume-claims.js";
import { cancellation } from "../core/cancellation.js";
import type { Logger } from "../core/events.js";

export interface RestageDeps {
  runtime: ContainerRuntime;
  downloader: Downloader;
  uploader: Uploader;
  archives: Archives;
  taskLog: TaskLog;
  logger: Logger;
  settings: StepSettings;
  /** Told when a phase starts (`creating container`, `downloading`, `staging`, ...). */
  onPhase?: ((phase: string) => void) | undefined;
  /** Told once the container exists, so a signal handler can name it. */
  onContainer?: ((container: Container) => void) | undefined;
  /**
   * Told of every artifact an upload step settled (kept on disk or not), as it settles: an
   * interrupted run ends without an outcome, and must still say where a kept droplet is.
   */
  onArtifact?: ((artifact: KeptArtifact) => void) | undefined;
  /** Start the task's downloads while the cached dependencies are prepared (default true). */
  prefetch?: boolean | undefined;
  /** Timings of the dependency volumes' fill protocol (tests shorten them). */
  volumeTiming?: Partial<VolumeTiming> | undefined;
  /**
   * Issues the staging container's instance identity (src/identity/); undefined: none, as on a
   * cell without instance identity.
   */
  identityCa?: CertificateAuthority | undefined;
}

export interface RestageOptions {
  request: TaskRequest;
  image: string;
  network?: string | undefined;
  /** Identifies this invocation; every container it creates carries it as a label. */
  runId: string;
  /** Extra labels (a test run id, ...). */
  labels: Record<string, string>;
  /** Leave the container in place for debugging. */
  keepContainer: boolean;
  /**
   * The cell's trusted system certificates, mounted read-only at the task's
   * `trusted_system_certificates_path`; undefined: none, as on a cell without them.
   */
  trustedCertificates?: readonly CertificateFile[] | undefined;
  /** Where artifacts are kept: always with keepArtifacts, else only those whose upload failed. */
  outputDir: string;
  keepArtifacts: boolean;
  /** Keep the droplet in `outputDir` even once uploaded (an image is built from it). */
  keepDroplet?: boolean | undefined;
  signal: AbortSignal;
}

export interface RestageOutcome {
  failed: boolean;
  failureReason: string;
  /** The step error behind a failure. */
  error?: unknown;
  result?: TaskResult | undefined;
  artifacts: KeptArtifact[];
  durationsMs: Record<string, number>;
  /** Undefined when the task failed before its container was created (a cached dependency). */
  containerId?: string | undefined;
  containerKept: boolean;
}

/**
 * Executes a task definition as a Diego cell would: the cached dependencies downloaded and
 * mounted read-only (staging-dependencies.ts), a container from the stack image with the
 * task's env and limits, the setup and main actions, then the result file. The task's download
 * actions start while the dependencies are prepared. The container is removed in every case
 * unless `keepContainer`; cancellation (the signal) rejects with CancelledError after cleanup.
 */
export async function restage(options: RestageOptions, deps: RestageDeps): Promise<RestageOutcome> {
  const timer = new PhaseTimer(deps.onPhase);
  const definition = options.request.definition;
  // One signal for everything below: downloads and Docker calls run side by side on it.
  const scope = new LinkedSignal(options.signal, 64 + 16 * definition.cachedDependencies.length);
  const signal = scope.signal;
  const downloader = new PrefetchingDownloader(deps.downloader, signal, deps.logger);
  const prefetch = () => {
    if (deps.prefetch !== false) downloader.prefetch(prefetchRequests(definition));
  };
  const dependencies = new StagingDependencies(options, deps, prefetch);
  let cell: CellFiles | undefined;
  let removed = true;
  try {
    await timer.time("checking the engine", () => dependencies.checkEngine(signal));
    const prepared = await dependencies.prepare(timer, signal);
    if (prepared.failed) return failedEarly(prepared, timer);
    cell = await CellFiles.prepare(options, deps, signal);
    const files = cell;
    const container = await timer.time("creating container", () =>
      dependencies.createContainer(signal, files),
    );
    removed = options.keepContainer !== true;
    deps.onContainer?.(container);
    const run = { options, deps: { ...deps, downloader }, dependencies, cell, timer, signal };
    return await runInContainer(container, run);
  } finally {
    await cell?.release(removed);
    await dependencies.release();
    await downloader.close();
    scope.dispose();
  }
}

interface ContainerRun {
  options: RestageOptions;
  deps: RestageDeps;
  dependencies: StagingDependencies;
  cell: CellFiles;
  timer: PhaseTimer;
  signal: AbortSignal;
}

async function runInContainer(container: Container, run: ContainerRun): Promise<RestageOutcome> {
  const { options, deps, dependencies, cell, timer, signal } = run;
  const definition = options.request.definition;
  const keeper = new Keepers({ ...options, onKept: deps.onArtifact });
  try {
    const ctx = await stepContext(container, deps, keeper);
    await cell.finish(container, signal);
    const copied = await dependencies.finish(container, timer, signal);
    // A dependency that could not be copied in fails the task before its action, as a cached
    // dependency failing fails the container's creation on a cell: no result file then.
    if (copied.failed) return { ...copied, ...kept(options, keeper, timer, container) };
    const outcome = await runPhases(definition, ctx, timer, signal);
    const read = () => readResultFile(container, deps.archives, definition.resultFile, signal);
    const completed = await timer.time("reading result", () =>
      completeWithResult(outcome, read, definition.resultFile),
    );
    if (signal.aborted) throw cancellation(signal);
    if (completed.readError !== undefined) {
      deps.logger.debug("result-file-unreadable", { error: errorMessage(completed.readError) });
    }
    const error = completed.failed && !outcome.failed ? completed.readError : outcome.error;
    return {
      ...outcome,
      ...completed,
      error,
      ...kept(options, keeper, timer, container),
    };
  } finally {
    if (!options.keepContainer) await container.remove();
  }
}

function kept(options: RestageOptions, keeper: Keepers, timer: PhaseTimer, container: Container) {
  return {
    artifacts: keeper.artifacts,
    durationsMs: timer.durations,
    containerId: container.id,
    containerKept: options.keepContainer,
  };
}

async function runPhases(
  definition: TaskRequest["definition"],
  ctx: StepContext,
  timer: PhaseTimer,
  signal: AbortSignal,
): Promise<TaskRunResult> {
  const phases: [string, Action | undefined][] = [
    ["setting up", definition.setup],
    ["running the task", definition.action],
  ];
  for (const [name, action] of phases) {
    if (!action) continue;
    const run = await timer.time(name, () => runTaskAction(action, ctx, signal));
    if (run.failed) return run;
  }
  return { failed: false, failureReason: "" };
}

/** A cached dependency failed: Diego fails the task before creating its container. */
function failedEarly(run: TaskRunResult, timer: PhaseTimer): RestageOutcome {
  return { ...run, artifacts: [], durationsMs: timer.durations, containerKept: false };
}

/** The executor appends its networking variables to every run step, a task's too. */
async function stepContext(
  container: Container,
  deps: RestageDeps,
  keeper: Keepers,
): Promise<StepContext> {
  const { ip, gateway } = await container.networkAddresses();
  return {
    extraEnv: networkingEnv(gateway, [], ip),
    container,
    taskLog: deps.taskLog,
    logger: deps.logger,
    downloader: deps.downloader,
    uploader: deps.uploader,
    archives: deps.archives,
    settings: deps.settings,
    onUploadSettled: keeper.onUploadSettled,
  };
}
