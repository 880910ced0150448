/**
 * Diego downloads `cached_dependencies` on the cell, expands each into a host directory and
 * bind-mounts it read-only at `to` before the container starts (diego-reference.md §3.11).
 * restager never bind-mounts (it must work from inside a container with only the Docker
 * socket), so each expanded dependency lives in a named volume, which the engine resolves
 * wherever restager runs, mounted read-only at `to`. The volumes are the cache: a later
 * restage with the same dependency bodies mounts them as they are.
 *
 * When the engine refuses volumes, the dependencies are copied into the container instead.
 */
import type { Archives } from "../archive/ports.js";
import type { Container, ContainerRuntime, VolumeMount } from "../container/container.js";
import type { CachedDependency } from "../diego/common.js";
import { errorMessage } from "../diego/steps/step-errors.js";
import { copyInDependencies, dependencyTarget } from "./copy-in-dependencies.js";
import {
  downloadDependencies,
  downloadFailure,
  releaseAll,
  type DependencyDownloadContext,
  type FetchedDependency,
} from "./dependency-downloads.js";
import { provideVolumes } from "./dependency-volumes.js";
import { VolumeClaims, type VolumeTiming } from "./volume-claims.js";
import { DependencyExpandError } from "./volume-fill.js";
import { cancellation, isCancellation } from "../core/cancellation.js";

export interface CachedDependencyContext extends DependencyDownloadContext {
  runtime: ContainerRuntime;
  archives: Archives;
  /** The stack image; the fill container is made from it. */
  image: string;
  /** Labels of the fill container. */
  fillLabels: Record<string, string>;
  /** Unique to this restage: marks the volumes it fills. */
  token: string;
  timing: VolumeTiming;
  /** Called once every dependency is downloaded, before the volumes are filled. */
  onDownloaded?: (() => void) | undefined;
}

/** The dependencies, downloaded, with the volumes ready for them. */
export class PreparedDependencies {
  constructor(
    private readonly fetched: readonly FetchedDependency[],
    private readonly volumes: Map<FetchedDependency, string>,
    private readonly ctx: CachedDependencyContext,
  ) {}

  /** The staging container's read-only mounts. */
  get mounts(): VolumeMount[] {
    return [...this.volumes].map(([item, name]) => ({
      name,
      target: dependencyTarget(item.dependency.to),
      readOnly: true,
    }));
  }

  /** Whether some dependencies must be copied into the container (finish() does it). */
  get needsCopy(): boolean {
    return this.fetched.some((item) => !this.volumes.has(item));
  }

  /** The engine refused the mounts: every dependency will be copied in. */
  dropVolumes(): void {
    this.volumes.clear();
  }

  /** Copies in what has no volume. */
  async finish(container: Container, signal: AbortSignal): Promise<void> {
    const copied = this.fetched.filter((item) => !this.volumes.has(item));
    const { archives, logger } = this.ctx;
    await copyInDependencies(copied, { container, archives, logger }, signal);
  }

  release(): Promise<void> {
    return releaseAll(this.fetched, this.ctx.logger);
  }
}

/**
 * Rejects with the dependencies' EmittableErrors (a failed task, as Diego fails container
 * creation) or with a cancellation; the downloads are released then.
 */
export async function prepareCachedDependencies(
  dependencies: readonly CachedDependency[],
  ctx: CachedDependencyContext,
  signal: AbortSignal,
): Promise<PreparedDependencies> {
  const fetched = await downloadDependencies(dependencies, ctx, signal);
  ctx.onDownloaded?.();
  try {
    const volumes = await volumesOrNone(fetched, ctx, signal);
    return new PreparedDependencies(fetched, volumes, ctx);
  } catch (error) {
    await releaseAll(fetched, ctx.logger);
    throw error;
  }
}

async function volumesOrNone(
  fetched: readonly FetchedDependency[],
  ctx: CachedDependencyContext,
  signal: AbortSignal,
): Promise<Map<FetchedDependency, string>> {
  if (fetched.length === 0) return new Map();
  const claims = new VolumeClaims(ctx.runtime, ctx.token, ctx.timing);
  const { pollMs, maxWaitMs } = ctx.timing;
  try {
    const provided = await provideVolumes(
      fetched,
      { ...ctx, labels: ctx.fillLabels, claims, pollMs, maxWaitMs },
      signal,
    );
    if (provided.late.length > 0) {
      ctx.logger.debug("dependency-volumes-late", { count: provided.late.length });
    }
    return provided.ready;
  } catch (error) {
    if (signal.aborted) throw cancellation(signal);
    if (isCancellation(error)) throw error;
    if (error instanceof DependencyExpandError) {
      throw downloadFailure(error.fetched, error.cause, ctx.logger);
    }
    ctx.logger.debug("dependency-volumes-unavailable", { error: errorMessage(error) });
    return new Map();
  }
}
