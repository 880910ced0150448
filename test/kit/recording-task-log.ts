import type { TaskLog } from "../../src/diego/task-log.js";
import type { ProgressEvent } from "../../src/core/events.js";

export interface RecordedLine {
  source: string;
  stream: "out" | "err";
  line: string;
}

export interface RecordedProgress {
  source: string;
  event: ProgressEvent;
}

/**
 * A TaskLog that records every line and progress event, in order, for assertions. Logs derived
 * with withSource() share the same records.
 */
export class RecordingTaskLog implements TaskLog {
  constructor(
    readonly source = "STG",
    readonly entries: RecordedLine[] = [],
    readonly progressEvents: RecordedProgress[] = [],
  ) {}

  withSource(source: string): RecordingTaskLog {
    return new RecordingTaskLog(source, this.entries, this.progressEvents);
  }

  out(line: string): void {
    this.entries.push({ source: this.source, stream: "out", line });
  }

  err(line: string): void {
    this.entries.push({ source: this.source, stream: "err", line });
  }

  progress(event: ProgressEvent): void {
    this.progressEvents.push({ source: this.source, event });
  }

  /** The recorded lines, optionally of one stream only. */
  lines(stream?: "out" | "err"): string[] {
    return this.entries
      .filter((e) => stream === undefined || e.stream === stream)
      .map((e) => e.line);
  }

  /** Lines as `[SOURCE] OUT text`, the shape `cf logs` prints, for compact assertions. */
  transcript(): string[] {
    return this.entries.map((e) => `[${e.source}] ${e.stream.toUpperCase()} ${e.line}`);
  }
}
