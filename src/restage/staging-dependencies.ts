/**
 * The cached-dependency side of a restage: checks the engine and the stack image, prepares the
 * dependencies (downloads, volumes) before the container exists, creates the container with
 * the volumes mounted read-only, and finishes (copies in what has no volume) once it exists.
 */
import { randomBytes } from "node:crypto";
import type { Container } from "../container/container.js";
import { ImageMissingError } from "../container/image-missing-error.js";
import type { TaskRunResult } from "../diego/steps/run-task.js";
import type { CellFiles } from "./cell-files.js";
import { errorMessage } from "../diego/steps/step-errors.js";
import { prepareCachedDependencies, type PreparedDependencies } from "./cached-dependencies.js";
import type { PhaseTimer } from "./phase-timer.js";
import type { RestageDeps, RestageOptions } from "./restage.js";
import { stagingContainerSpec, stagingLabels } from "./staging-container-spec.js";
import { defaultVolumeTiming } from "./volume-claims.js";
import { cancellation, isCancellation } from "../core/cancellation.js";

const succeeded: TaskRunResult = { failed: false, failureReason: "" };

/**
 * The executor's reason when a cached dependency cannot be provided (executor
 * depot/containerstore/storenode.go): the container is never created. The executor marks it
 * retryable, so the rep rejects the task and BBS fails it with this reason once it may not be
 * retried (BBS's default max_task_retries is 0); restager runs a task once.
 */
export const cachedDependenciesFailed = "failed to download cached artifacts";

export class StagingDependencies {
  #prepared: PreparedDependencies | undefined;

  constructor(
    private readonly options: RestageOptions,
    private readonly deps: RestageDeps,
    /** Called once the dependencies are downloaded (at once when there are none). */
    private readonly onDownloaded: () => void,
  ) {}

  /** Fails before any download when the engine is down or the stack image is missing. */
  async checkEngine(signal: AbortSignal): Promise<void> {
    await this.deps.runtime.ping(signal);
    if (!(await this.deps.runtime.imageExists(this.options.image))) {
      throw new ImageMissingError(this.options.image);
    }
  }

  /** A failed result when a dependency failed (Diego fails the task then); throws on cancel. */
  async prepare(timer: PhaseTimer, signal: AbortSignal): Promise<TaskRunResult> {
    const dependencies = this.options.request.definition.cachedDependencies;
    if (dependencies.length === 0) {
      this.onDownloaded();
      return succeeded;
    }
    const { runtime, downloader, archives, taskLog, logger, volumeTiming } = this.deps;
    const ctx = {
      ...{ runtime, downloader, archives, taskLog, logger, image: this.options.image },
      fillLabels: stagingLabels(this.options, "dependency-fill"),
      token: randomBytes(8).toString("hex"),
      timing: { ...defaultVolumeTiming, ...volumeTiming },
      onDownloaded: this.onDownloaded,
    };
    return timer.time("downloading cached dependencies", () =>
      asTaskResult(async () => {
        this.#prepared = await prepareCachedDependencies(dependencies, ctx, signal);
      }, signal),
    );
  }

  /**
   * The staging container, with the volumes (the dependencies', then the cell's own files');
   * without them (copying instead) if refused.
   */
  async createContainer(signal: AbortSignal, cell: CellFiles): Promise<Container> {
    const spec = stagingContainerSpec(this.options, cell.env);
    const mounts = [...(this.#prepared?.mounts ?? []), ...cell.mounts];
    if (mounts.length === 0) return this.deps.runtime.createIdle(spec, signal);
    try {
      return await this.deps.runtime.createIdle({ ...spec, volumes: mounts }, signal);
    } catch (error) {
      if (signal.aborted || isCancellation(error) || error instanceof ImageMissingError)
        throw error;
      this.deps.logger.debug("dependency-mounts-refused", { error: errorMessage(error) });
      this.#prepared?.dropVolumes();
      await cell.dropVolumes();
      return this.deps.runtime.createIdle(spec, signal);
    }
  }

  /** Copies in the dependencies without a volume, and announces them all as downloaded. */
  async finish(container: Container, timer: PhaseTimer, signal: AbortSignal) {
    const prepared = this.#prepared;
    if (!prepared) return succeeded;
    const work = () => asTaskResult(() => prepared.finish(container, signal), signal);
    return prepared.needsCopy ? timer.time("copying cached dependencies", work) : work();
  }

  async release(): Promise<void> {
    await this.#prepared?.release();
  }
}

/** A failure fails the task with the executor's reason; a cancellation rejects. */
async function asTaskResult(work: () => Promise<void>, signal: AbortSignal) {
  try {
    await work();
    return succeeded;
  } catch (error) {
    if (isCancellation(error)) throw error;
    if (signal.aborted) throw cancellation(signal);
    return { failed: true, failureReason: cachedDependenciesFailed, error };
  }
}
