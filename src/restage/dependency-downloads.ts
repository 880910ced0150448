/**
 * Downloads a task's cached dependencies on the host, all at once, with the lines Diego prints
 * for named ones (`Downloading <name>...`, then `Downloaded <name> (<size>)` or, from the cache,
 * `Downloaded <name>`, once the dependency is in place; `Downloading <name> failed`).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { CachedDependency } from "../diego/common.js";
import { messages, truncateErrorLine } from "../diego/messages.js";
import type { Logger } from "../diego/steps/step-context.js";
import {
  abortReason,
  aggregateErrors,
  EmittableError,
  errorMessage,
} from "../diego/steps/step-errors.js";
import type { TaskLog } from "../diego/task-log.js";
import type { DownloadedFile, Downloader } from "../http/ports.js";

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
 * Resolves with every dependency, downloaded; rejects with the aggregated EmittableErrors of
 * the failed ones (their lines written to stderr), or with the cancellation. Nothing is kept
 * when it rejects.
 */
export async function downloadDependencies(
  dependencies: readonly CachedDependency[],
  ctx: DependencyDownloadContext,
  signal: AbortSignal,
): Promise<FetchedDependency[]> {
  const settled = await Promise.allSettled(
    dependencies.map((dependency) => downloadOne(dependency, ctx, signal)),
  );
  const fetched = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const errors = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
  if (errors.length === 0) return fetched;
  await releaseAll(fetched, ctx.logger);
  if (signal.aborted) throw abortReason(signal);
  throw aggregateErrors(errors);
}

/** Writes `Downloaded <name> (<size>)` (size left out for a cache hit) and its progress event. */
export function announceDownloaded(fetched: FetchedDependency): void {
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

async function downloadOne(
  dependency: CachedDependency,
  ctx: DependencyDownloadContext,
  signal: AbortSignal,
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
    const sha256Hex = file.sha256Hex ?? (await fileSha256(file.path));
    return { dependency, file, sha256Hex, log };
  } catch (error) {
    await file?.release().catch(() => undefined);
    if (signal.aborted) throw abortReason(signal);
    throw dependencyFailure({ dependency, log }, messages.downloadFailed(name), error, ctx.logger);
  }
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

function fileSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}
