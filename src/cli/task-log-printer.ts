import type { TaskLog } from "../diego/task-log.js";
import type { Output } from "./output.js";
import type { StatusLine } from "./status-line.js";
import type { ProgressEvent } from "../core/events.js";

/**
 * Prints what `cf logs` would show for the replayed task, as `[SOURCE] OUT line` /
 * `[SOURCE] ERR line` on stderr (stdout is kept for results), and feeds progress events to the
 * status line (an ora spinner on a TTY, nothing otherwise).
 */
export class TaskLogPrinter implements TaskLog {
  constructor(
    private readonly output: Output,
    private readonly status: StatusLine,
    readonly source: string,
  ) {}

  withSource(source: string): TaskLog {
    return new TaskLogPrinter(this.output, this.status, source);
  }

  out(line: string): void {
    this.status.above(() => this.output.info(`[${this.source}] OUT ${line}`));
  }

  err(line: string): void {
    this.status.above(() => this.output.info(`[${this.source}] ERR ${line}`));
  }

  progress(event: ProgressEvent): void {
    this.status.onProgress(event);
  }
}
