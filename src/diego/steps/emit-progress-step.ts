import type { TaskLog } from "../task-log.js";
import type { Step } from "./step.js";
import { EmittableError } from "./step-errors.js";
import { throwIfCancelled } from "../../core/cancellation.js";

export interface ProgressMessages {
  startMessage: string;
  successMessage: string;
  failureMessagePrefix: string;
}

/**
 * Diego's emit_progress action: writes the start message to stdout, runs the child, then writes
 * the success message to stdout, or the failure prefix to stderr followed by `: <message>` when
 * the child's error is emittable. Empty messages write nothing. The child's error is returned
 * unchanged; a cancellation also writes the prefix (as Diego does), without a message.
 */
export class EmitProgressStep implements Step {
  constructor(
    private readonly step: Step,
    private readonly progress: ProgressMessages,
    private readonly taskLog: TaskLog,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    throwIfCancelled(signal);
    const { startMessage, successMessage, failureMessagePrefix } = this.progress;
    if (startMessage !== "") this.taskLog.out(startMessage);
    try {
      await this.step.run(signal);
    } catch (error) {
      if (failureMessagePrefix !== "") {
        const detail = error instanceof EmittableError ? `: ${error.message}` : "";
        this.taskLog.err(failureMessagePrefix + detail);
      }
      throw error;
    }
    if (successMessage !== "") this.taskLog.out(successMessage);
  }
}
