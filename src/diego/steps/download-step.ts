import { posix } from "node:path";
import type { Readable } from "node:stream";
import type { DownloadedFile } from "../../http/ports.js";
import type { DownloadAction } from "../actions.js";
import { messages, truncateErrorLine } from "../messages.js";
import type { StepContext } from "./step-context.js";
import type { Step } from "./step.js";
import { EmittableError, errorMessage } from "./step-errors.js";
import { cancellation, throwIfCancelled } from "../../core/cancellation.js";

/**
 * Diego's download action: fetches `from` (cached by `cacheKey`, verified against `checksum`),
 * converts the archive to a tar and streams it into `to` inside the container as Garden does
 * (Container.streamIn): a relative `to` is resolved against the user's home (`.` →
 * `/home/vcap`), missing directories are created owned by the user, entries end up owned by
 * the user, and a destination the user may not write fails.
 *
 * Lines (only with an artifact name): `Downloading X...`, then `Downloaded X (12M)` or
 * `Downloaded X` for a cache hit. Failures: `Downloading X failed` (also when the archive format
 * is unknown, as Diego's downloader converts while fetching) or
 * `Copying X into the container failed: <reason>`, written to stderr and thrown as
 * EmittableErrors. The downloader's errors are redacted at the source; nothing here prints `from`.
 */
export class DownloadStep implements Step {
  constructor(
    private readonly action: DownloadAction,
    private readonly ctx: StepContext,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    throwIfCancelled(signal);
    const { artifact } = this.action;
    if (artifact !== "") this.ctx.taskLog.out(messages.downloading(artifact));
    const file = await this.fetch(signal);
    try {
      await this.copyIn(file, signal);
    } finally {
      await file
        .release()
        .catch((error: unknown) =>
          this.ctx.logger.debug("download-release-failed", { error: errorMessage(error) }),
        );
    }
    if (artifact !== "") {
      const size = file.fromCache ? undefined : file.sizeBytes;
      this.ctx.taskLog.out(messages.downloaded(artifact, size));
      this.progressEvent({ kind: "download-done", bytes: file.sizeBytes, cached: file.fromCache });
    }
  }

  private async fetch(signal: AbortSignal): Promise<DownloadedFile> {
    const { from, cacheKey, checksum } = this.action;
    this.progressEvent({ kind: "download-start" });
    try {
      return await this.ctx.downloader.download({
        url: from,
        cacheKey,
        checksum,
        signal,
        onProgress: (bytes, totalBytes) =>
          this.progressEvent({ kind: "download-progress", bytes, totalBytes }),
      });
    } catch (error) {
      if (signal.aborted) throw cancellation(signal);
      throw this.fail(messages.downloadFailed(this.action.artifact), error);
    }
  }

  private async copyIn(file: DownloadedFile, signal: AbortSignal): Promise<void> {
    const { artifact, user } = this.action;
    let tar: Readable | undefined;
    let conversionError: unknown;
    try {
      const owner = await this.ctx.container.lookupUser(user);
      const to = posix.resolve(owner.home, this.action.to);
      tar = this.ctx.archives.toTar(file.path, { uid: owner.uid, gid: owner.gid });
      tar.once("error", (error) => (conversionError = error));
      this.ctx.logger.debug("stream-in-starting", { to, user });
      await this.ctx.container.streamIn(to, tar, { user, signal });
    } catch (error) {
      if (signal.aborted) throw cancellation(signal);
      if (conversionError !== undefined) {
        throw this.fail(messages.downloadFailed(artifact), conversionError);
      }
      throw this.fail(messages.copyFailed(artifact, errorMessage(error)), error);
    } finally {
      tar?.destroy();
    }
  }

  /** Writes the failure to stderr (capped like Diego's) and returns it as an EmittableError. */
  private fail(message: string, cause: unknown): EmittableError {
    this.ctx.logger.debug("download-step-failed", { message, error: errorMessage(cause) });
    this.ctx.taskLog.err(truncateErrorLine(message));
    return new EmittableError(message, { cause });
  }

  private progressEvent(
    event:
      | { kind: "download-start" }
      | { kind: "download-progress"; bytes: number; totalBytes: number | undefined }
      | { kind: "download-done"; bytes: number; cached: boolean },
  ): void {
    const { artifact } = this.action;
    if (artifact !== "") this.ctx.taskLog.progress?.({ ...event, artifact });
  }
}
