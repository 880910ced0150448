import type { Archives } from "../archive/ports.js";
import type { Container, ContainerRuntime } from "../container/container.js";
import type { Action } from "../diego/actions.js";
import type { TaskRequest } from "../diego/task-definition.js";
import type { TaskLog } from "../diego/task-log.js";
import { runTaskAction, type TaskRunResult } from "../diego/steps/run-task.js";
import type {
  Logger,
  StepContext,
  StepSettings,
  UploadSettledEvent,
} from "../diego/steps/step-context.js";
import type { Downloader, Uploader } from "../http/ports.js";
import { ArtifactKeeper, type KeptArtifact } from "./kept-artifacts.js";
import { cachedDependenciesAction } from "./cached-dependencies.js";
import { readResultFile, type TaskResult } from "./read-result-file.js";
import { stagingContainerSpec } from "./staging-container-spec.js";
import { PhaseTimer } from "./phase-timer.js";

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
  containerId?: string | undefined;
  containerKept: boolean;
}

/**
 * Executes a task definition as a Diego cell would: a container from the stack image with the
 * task's env and limits, the cached dependencies, the setup and main actions, then the result
 * file. The container is removed in every case unless `keepContainer`; cancellation (the
 * signal) rejects with CancelledError after cleanup.
 */
export async function restage(options: RestageOptions, deps: RestageDeps): Promise<RestageOutcome> {
  const timer = new PhaseTimer(deps.onPhase);
  const keeper = new Keepers(options);
  const definition = options.request.definition;
  await timer.time("checking the engine", () => deps.runtime.ping(options.signal));
  const container = await timer.time("creating container", () =>
    deps.runtime.createIdle(stagingContainerSpec(options), options.signal),
  );
  deps.onContainer?.(container);
  try {
    const ctx = stepContext(container, deps, keeper);
    const run = await runPhases(definition, ctx, timer, options.signal);
    const result = run.failed
      ? undefined
      : await timer.time("reading result", () =>
          readResultFile(container, deps.archives, definition.resultFile, options.signal),
        );
    return {
      ...run,
      result,
      artifacts: keeper.artifacts,
      durationsMs: timer.durations,
      containerId: container.id,
      containerKept: options.keepContainer,
    };
  } finally {
    if (!options.keepContainer) await container.remove();
  }
}

async function runPhases(
  definition: TaskRequest["definition"],
  ctx: StepContext,
  timer: PhaseTimer,
  signal: AbortSignal,
): Promise<TaskRunResult> {
  const phases: [string, Action | undefined][] = [
    ["downloading cached dependencies", cachedDependenciesAction(definition.cachedDependencies)],
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

function stepContext(container: Container, deps: RestageDeps, keeper: Keepers): StepContext {
  return {
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

/** Keeps artifacts as ArtifactKeeper does, and the droplet always when `keepDroplet`. */
class Keepers {
  readonly artifacts: KeptArtifact[] = [];
  readonly #some: ArtifactKeeper;
  readonly #all: ArtifactKeeper | undefined;

  constructor(options: RestageOptions) {
    this.#some = new ArtifactKeeper(options.outputDir, options.keepArtifacts);
    const keepDroplet = options.keepDroplet === true && !options.keepArtifacts;
    this.#all = keepDroplet ? new ArtifactKeeper(options.outputDir, true) : undefined;
  }

  readonly onUploadSettled = async (event: UploadSettledEvent): Promise<void> => {
    const isDroplet = event.artifact === "droplet" || event.from === "/tmp/droplet";
    const keeper = (isDroplet ? this.#all : undefined) ?? this.#some;
    await keeper.onUploadSettled(event);
    const kept = keeper.artifacts.at(-1);
    if (kept) this.artifacts.push(kept);
  };
}
