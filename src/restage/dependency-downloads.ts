/**
 * Downloads a task's cached dependencies on the host, all at once, as the executor's dependency
 * manager does (executor depot/containerstore/dependencymanager.go): for named ones it writes
 * `Downloading <name>...`, then, as each download finishes, `Downloaded <name> (<size>)` or,
 * from the cache, `Downloaded <name>`, and `Downloading <name> failed` when it fails, all on
 * stdout. The first failure cancels the other downloads (each then also reports its failure).
 */
import { hashFile } from "../core/checksums.js";
import type { CachedDependency } from "../diego/common.js";
import { messages, truncateErrorLine } from "../diego/messages.js";
import { CancelledError } from "../errors.js";
import { EmittableError, errorMessage } from "../diego/steps/step-errors.js";
import type { TaskLog } from "../diego/task-log.js";
import type { DownloadedFile, Downloader } from "../http/ports.js";
import { cancellation } from "../core/cancellation.js";
import type { Logger } from "../core/events.js";

export interface FetchedDependency {
  dependency: CachedDependency;
  file: DownloadedFile;
  sha256Hex: string;
  /** The task log, sourced with the dependency's log_source when it has one. */
  log: TaskLog;
}

export interface DependencyDownloadContext {
  downloader: Downloader;
  taskLog: TaskLog;
  logger: Logger;
}

/**
 * Resolves with every dependency, downloaded; rejects with the first failure's EmittableError
 * once the others, cancelled by it, have ended, or with the cancellation. Nothing is kept when
 * it rejects.
 */
export async function downloadDependencies(
  dependencies: readonly CachedDependency[],
  ctx: DependencyDownloadContext,
  signal: AbortSignal,
): Promise<FetchedDependency[]> {
  const siblings = new AbortController();
  const cancelSiblings = () => siblings.abort(cancellation(signal));
  signal.addEventListener("abort", cancelSiblings, { once: true });
  let first: unknown;
  const one = async (dependency: CachedDependency) => {
    try {
      return await downloadOne(dependency, ctx, { signal: siblings.signal, outer: signal });
    } catch (error) {
      if (first === undefined && !signal.aborted) {
        first = error;
        siblings.abort(new CancelledError("another cached dependency failed"));
      }
      throw error;
    }
  };
  try {
    const settled = await Promise.allSettled(dependencies.map(one));
    const fetched = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    if (first === undefined && !signal.aborted) return fetched;
    await releaseAll(fetched, ctx.logger);
    if (signal.aborted) throw cancellation(signal);
    throw first;
  } finally {
    signal.removeEventListener("abort", cancelSiblings);
  }
}

/** Writes `Downloaded <name> (<size>)` (size left out for a cache hit) and its progress event. */
function announceDownloaded(fetched: FetchedDependency): void {
  const { name } = fetched.dependency;
  if (name === "") return;
  const { file } = fetched;
  fetched.log.out(messages.downloaded(name, file.fromCache ? undefined : file.sizeBytes));
  const done = { kind: "download-done", artifact: name, bytes: file.sizeBytes } as const;
  fetched.log.progress?.({ ...done, cached: file.fromCache });
}

export async function releaseAll(fetched: readonly FetchedDependency[], logger: Logger) {
  for (const { file } of fetched) {
    await file.release().catch((error: unknown) => {
      logger.debug("download-release-failed", { error: errorMessage(error) });
    });
  }
}

/** `signal` also aborts when a sibling fails; `outer` only when the restage is cancelled. */
async function downloadOne(
  dependency: CachedDependency,
  ctx: DependencyDownloadContext,
  { signal, outer }: { signal: AbortSignal; outer: AbortSignal },
): Promise<FetchedDependency> {
  const { name } = dependency;
  const log = dependency.logSource ? ctx.taskLog.withSource(dependency.logSource) : ctx.taskLog;
  if (name !== "") {
    log.out(messages.downloading(name));
    log.progress?.({ kind: "download-start", artifact: name });
  }
  let file: DownloadedFile | undefined;
  try {
    file = await ctx.downloader.download({
      url: dependency.from,
      cacheKey: dependency.cacheKey,
      checksum: dependency.checksum,
      signal,
      onProgress: (bytes, totalBytes) =>
        name === ""
          ? undefined
          : log.progress?.({ kind: "download-progress", artifact: name, bytes, totalBytes }),
    });
    const sha256Hex = file.sha256Hex ?? (await hashFile(file.path, "sha256"));
    const fetched = { dependency, file, sha256Hex, log };
    announceDownloaded(fetched);
    return fetched;
  } catch (error) {
    await file?.release().catch(() => undefined);
    if (outer.aborted) throw cancellation(outer);
    throw downloadFailure({ dependency, log }, error, ctx.logger);
  }
}

/**
 * Writes `Downloading <name> failed` on stdout (nothing for an unnamed dependency), as the
 * executor does for any error of a dependency's fetch (cancellation by a sibling's failure
 * included), and returns the error to throw.
 */
export function downloadFailure(
  failed: Pick<FetchedDependency, "dependency" | "log">,
  cause: unknown,
  logger: Logger,
): EmittableError {
  const message = messages.downloadFailed(failed.dependency.name);
  logger.debug("cached-dependency-failed", { message, error: errorMessage(cause) });
  if (failed.dependency.name !== "") failed.log.out(message);
  return new EmittableError(message, { cause });
}

/** Writes a dependency's failure line to stderr (capped as Diego does) and returns it to throw. */
export function dependencyFailure(
  failed: Pick<FetchedDependency, "dependency" | "log">,
  message: string,
  cause: unknown,
  logger: Logger,
): EmittableError {
  logger.debug("cached-dependency-failed", { message, error: errorMessage(cause) });
  failed.log.err(truncateErrorLine(message));
  return new EmittableError(message, { cause });
}
