import { networkingEnv } from "../cell-env/networking-env.js";
import type { Container } from "../container/container.js";
import type { Action } from "../diego/actions.js";
import type { TaskRequest } from "../diego/task-definition.js";
import { runTaskAction, type TaskRunResult } from "../diego/steps/run-task.js";
import type { StepContext } from "../diego/steps/step-context.js";
import { errorMessage } from "../diego/steps/step-errors.js";
import { ArtifactRetention } from "./artifact-retention.js";
import { CellFiles } from "./cell-files.js";
import { LinkedSignal } from "../core/linked-signal.js";
import { completeWithResult, readResultFile } from "./read-result-file.js";
import { PhaseTimer } from "./phase-timer.js";
import { PrefetchingDownloader } from "./prefetching-downloader.js";
import { actionUsers, prefetchRequests } from "./prefetch-requests.js";
import type { RestageDeps, RestageOptions, RestageOutcome } from "./restage-types.js";
import { StagingDependencies } from "./staging-dependencies.js";
import { cancellation } from "../core/cancellation.js";
import { EarlyRelease } from "./early-release.js";

/**
 * Executes a task definition as a Diego cell would: the cached dependencies downloaded and
 * mounted read-only (staging-dependencies.ts), a container from the stack image with the
 * task's env and limits, the setup and main actions, then the result file. The task's download
 * actions start while the dependencies are prepared. The container is removed in every case
 * unless `keepContainer`, while the last uploads are sent when the action ends in uploads
 * (early-release.ts); cancellation (the signal) rejects with CancelledError after cleanup.
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
  let cellFiles: Promise<CellFiles> | undefined;
  let container: Container | undefined;
  let release: EarlyRelease | undefined;
  try {
    await timer.time("checking the engine", () => dependencies.checkEngine(signal));
    // The staging container comes next: its identity's key is made meanwhile.
    deps.identities?.prepare?.();
    // The cell's volumes (identity, certificates) are made while the dependencies are checked.
    cellFiles = CellFiles.prepare(options, deps, signal);
    cellFiles.catch(() => undefined);
    const prepared = await dependencies.prepare(timer, signal);
    if (prepared.failed) return failedEarly(prepared, timer);
    cell = await cellFiles;
    const files = cell;
    container = await timer.time("creating container", () =>
      dependencies.createContainer(signal, files),
    );
    deps.onContainer?.(container);
    if (options.keepContainer !== true)
      release = earlyRelease(container, { options, deps, signal });
    const run = {
      options,
      deps: { ...deps, downloader },
      dependencies,
      cell,
      timer,
      signal,
      release,
    };
    return await runInContainer(container, run);
  } finally {
    await downloader.close();
    scope.dispose();
    // Prepared for a container that never came: released all the same.
    cell ??= await cellFiles?.catch(() => undefined);
    const kept = options.keepContainer === true && container !== undefined;
    const removal = release?.removal;
    const cleanup = cleanUp({
      container: kept ? undefined : container,
      removal,
      kept,
      cell,
      dependencies,
    });
    if (deps.deferCleanup) deps.deferCleanup(cleanup);
    else await cleanup;
  }
}

/**
 * The container removed (unless kept; its early removal awaited, and tried again if it failed),
 * then the cell's files and the dependencies released (a kept container keeps its identity
 * volume).
 */
async function cleanUp(run: {
  container: Container | undefined;
  removal: Promise<void> | undefined;
  kept: boolean;
  cell: CellFiles | undefined;
  dependencies: StagingDependencies;
}): Promise<void> {
  const { container, removal } = run;
  try {
    await (removal ? removal.catch(() => container?.remove()) : container?.remove());
  } finally {
    await run.cell?.release(!run.kept);
    await run.dependencies.release();
  }
}

interface ContainerRun {
  options: RestageOptions;
  deps: RestageDeps;
  dependencies: StagingDependencies;
  cell: CellFiles;
  timer: PhaseTimer;
  signal: AbortSignal;
  release: EarlyRelease | undefined;
}

/** Reads the result file and removes the container once the final uploads are spooled. */
function earlyRelease(
  container: Container,
  run: { options: RestageOptions; deps: RestageDeps; signal: AbortSignal },
): EarlyRelease | undefined {
  const { options, deps, signal } = run;
  const { action, resultFile } = options.request.definition;
  const archives = deps.archives;
  const read = resultFile
    ? async () => {
        const result = await readResultFile(container, resultFile, { archives, signal });
        deps.onResult?.(result);
        return result;
      }
    : undefined;
  return EarlyRelease.forAction(action, { read, remove: () => container.remove() });
}

async function runInContainer(container: Container, run: ContainerRun): Promise<RestageOutcome> {
  const { options, deps, dependencies, cell, timer, signal } = run;
  const definition = options.request.definition;
  const retention = new ArtifactRetention({
    ...options,
    onKept: deps.onArtifact,
    onDropletKept: deps.onDropletKept,
  });
  // What the first stream-in and process need is read while the cell's files are put in.
  container.readAhead(actionUsers(definition));
  // The cell's files (the instance identity needs the container's address) are put in while
  // the setup's downloads stream in; run and upload steps wait for them (StepContext.cellReady).
  // Their failure still wins over the task's outcome, as it would have stopped the task first.
  const cellReady = cell.finish(container, signal);
  cellReady.catch(() => undefined);
  try {
    const ctx = await stepContext(container, deps, { retention, cellReady, release: run.release });
    const copied = await dependencies.finish(container, timer, signal);
    // A dependency that could not be copied in fails the task before its action, as a cached
    // dependency failing fails the container's creation on a cell: no result file then.
    if (copied.failed) {
      await cellReady;
      return { ...copied, ...kept(container, { options, retention, timer }) };
    }
    const outcome = await runPhases(definition, ctx, { timer, signal });
    await cellReady;
    return await finishRun(container, { ...run, outcome, retention });
  } finally {
    // Nothing is removed while the cell's files are still being put in.
    await cellReady.catch(() => undefined);
  }
}

async function finishRun(
  container: Container,
  run: ContainerRun & { outcome: TaskRunResult; retention: ArtifactRetention },
): Promise<RestageOutcome> {
  const { options, deps, timer, signal, outcome, retention } = run;
  const definition = options.request.definition;
  const read = () =>
    run.release?.result ??
    readResultFile(container, definition.resultFile, { archives: deps.archives, signal });
  const completed = await timer.time("reading result", () =>
    completeWithResult(outcome, read, definition.resultFile),
  );
  if (signal.aborted) throw cancellation(signal);
  if (completed.readError !== undefined) {
    deps.logger.debug("result-file-unreadable", { error: errorMessage(completed.readError) });
  }
  const error = completed.failed && !outcome.failed ? completed.readError : outcome.error;
  // A failed task is the task's own only while the engine is there: an engine that shuts down
  // stops the staging container first (its process ends 137 or 143) and answers on open
  // connections meanwhile, so a failure is confirmed with a ping on a new one, which throws
  // the engine's UnavailableError when it is gone.
  if (completed.failed) await deps.runtime.ping(signal);
  return {
    ...outcome,
    ...completed,
    error,
    ...kept(container, { options, retention, timer }),
  };
}

function kept(
  container: Container,
  {
    options,
    retention,
    timer,
  }: { options: RestageOptions; retention: ArtifactRetention; timer: PhaseTimer },
) {
  return {
    artifacts: retention.artifacts,
    durationsMs: timer.durations,
    containerId: container.id,
    containerKept: options.keepContainer,
  };
}

async function runPhases(
  definition: TaskRequest["definition"],
  ctx: StepContext,
  { timer, signal }: { timer: PhaseTimer; signal: AbortSignal },
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
  cell: {
    retention: ArtifactRetention;
    cellReady: Promise<void>;
    release: EarlyRelease | undefined;
  },
): Promise<StepContext> {
  const { retention, cellReady, release } = cell;
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
    onUploadSettled: retention.onUploadSettled,
    onUploadSpooled: (event) => {
      retention.onUploadSpooled(event);
      release?.onSpooled(event);
    },
    cellReady,
  };
}
