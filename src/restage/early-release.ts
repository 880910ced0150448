/**
 * The staging container let go as soon as the task can no longer touch it: once every upload
 * that ends the task's action (final-uploads.ts) has its file spooled on the host, the result
 * file is read (the rep reads it once the action ended, failed or not; the uploads still being
 * sent cannot change it), then the container is removed while those uploads go on. The removal
 * (0.2–0.5 s of engine work) then no longer follows the last upload.
 *
 * Nothing happens when an upload fails before its file is out, or the tree does not end in
 * uploads: the run reads the result and removes the container after the action, as before.
 */
import type { Action, UploadAction } from "../diego/actions.js";
import { finalUploads } from "../diego/final-uploads.js";
import type { UploadSpooledEvent } from "../diego/steps/step-context.js";
import type { TaskResult } from "./read-result-file.js";

export interface ReleaseSteps {
  /** Reads the result file; undefined when the task has none. */
  read: (() => Promise<TaskResult>) | undefined;
  remove: () => Promise<void>;
}

export class EarlyRelease {
  readonly #pending: Set<UploadAction>;
  #result: Promise<TaskResult> | undefined;
  #removal: Promise<void> | undefined;

  private constructor(
    finals: ReadonlySet<UploadAction>,
    private readonly steps: ReleaseSteps,
  ) {
    this.#pending = new Set(finals);
  }

  /** Undefined when the action does not end in uploads (nothing can be released early). */
  static forAction(action: Action | undefined, steps: ReleaseSteps): EarlyRelease | undefined {
    const finals = finalUploads(action);
    return finals === undefined ? undefined : new EarlyRelease(finals, steps);
  }

  /** For StepContext.onUploadSpooled: the last final upload spooled starts the release. */
  readonly onSpooled = (event: UploadSpooledEvent): void => {
    if (!this.#pending.delete(event.action) || this.#pending.size > 0) return;
    const { read, remove } = this.steps;
    const result = read?.();
    // Both are awaited by their users (result, removal); a rejection is theirs to report.
    result?.catch(() => undefined);
    this.#result = result;
    this.#removal = (result ?? Promise.resolve()).then(remove, remove);
    this.#removal.catch(() => undefined);
  };

  /** The result file as read at the release; undefined when it was not (yet) read. */
  get result(): Promise<TaskResult> | undefined {
    return this.#result;
  }

  /** The container's removal, once started. */
  get removal(): Promise<void> | undefined {
    return this.#removal;
  }
}
