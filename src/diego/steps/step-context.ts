import type { Archives, SpooledFile } from "../../archive/ports.js";
import type { Container } from "../../container/container.js";
import type { Downloader, Uploader } from "../../http/ports.js";
import type { TaskLog } from "../task-log.js";
import type { Logger } from "../../core/events.js";
import type { EnvVar } from "../../core/env-var.js";
import type { UploadAction } from "../actions.js";

export interface StepSettings {
  /** TERM → KILL escalation delay for run steps (Diego: 10 s). */
  gracePeriodMs: number;
  /** How long to wait after KILL before giving up on a process (Diego: 1 s). */
  exitTimeoutMs: number;
}

/** What an upload step spooled, and how its upload ended; see StepContext.onUploadSettled. */
export interface UploadSettledEvent {
  /** The action's artifact name (`droplet`, `build artifacts cache`); may be "". */
  readonly artifact: string;
  /** The path inside the container the file came from (`/tmp/droplet`). */
  readonly from: string;
  /** The spooled host file; valid until the hook's promise settles. */
  readonly file: SpooledFile;
  /** Undefined when the upload succeeded; the upload's error (or a cancellation) otherwise. */
  readonly error?: unknown;
  /** True when the uploader sent nothing on purpose (`--no-upload`): not an upload. */
  readonly skipped?: boolean | undefined;
}

/** A spooled artifact about to be uploaded. */
export type SpooledArtifact = Pick<UploadSettledEvent, "artifact" | "from" | "file">;

/** See StepContext.onUploadSpooled. */
export interface UploadSpooledEvent extends SpooledArtifact {
  /** Which upload of the tree this is (final-uploads.ts tells the last ones). */
  readonly action: UploadAction;
}

/**
 * Everything a step needs, in one bundle instead of long parameter lists. A plain object:
 * buildStep derives children's contexts with object spread (to swap in a sourced TaskLog).
 */
export interface StepContext {
  readonly container: Container;
  /** The log in effect; buildStep replaces it with `withSource(logSource)` where an action sets one. */
  readonly taskLog: TaskLog;
  readonly logger: Logger;
  readonly downloader: Downloader;
  readonly uploader: Uploader;
  readonly archives: Archives;
  readonly settings: StepSettings;
  /**
   * Appended to every run action's env (Diego appends the CF_INSTANCE_* networking variables
   * this way, docs/diego.md §3.4); later entries win over earlier ones.
   */
  readonly extraEnv?: readonly EnvVar[] | undefined;
  /**
   * Called by every upload step once its upload settled (succeeded, failed or was cancelled) and
   * before the spooled file is released, so a caller can keep the artifact (e.g. copy the droplet
   * to --output-dir, especially when the upload failed). If the hook rejects, the step fails with
   * that error, unless the upload had already failed: then the upload's error wins and the hook's
   * is logged.
   */
  readonly onUploadSettled?: ((event: UploadSettledEvent) => Promise<void>) | undefined;
  /**
   * Told by every upload step once the file is spooled and hashed, before it is uploaded; the
   * file stays valid until onUploadSettled's promise settles. Lets a caller start working on the
   * artifact (keep it, read it) while it is uploaded. Must not throw.
   */
  readonly onUploadSpooled?: ((event: UploadSpooledEvent) => void) | undefined;
  /**
   * Settles once the files a cell puts in every container (the instance identity, which needs
   * the container's address) are in place. Run and upload steps wait for it (cell-ready.ts), so
   * no process and no stream-out sees the container without them, and so do timeout steps, so
   * that the wait never counts against a timeout; download steps outside any timeout stream in
   * meanwhile, since a stream-in cannot observe them. Undefined: ready from the start.
   */
  readonly cellReady?: Promise<void> | undefined;
}
