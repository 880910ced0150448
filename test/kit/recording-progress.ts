import type { ProgressReporter } from "../../src/app/progress.js";
import type { ProgressEvent } from "../../src/core/events.js";

/** The use cases' progress port, recorded in order for assertions. */
export class RecordingProgress implements ProgressReporter {
  readonly phases: string[] = [];
  readonly events: ProgressEvent[] = [];
  readonly lines: { level: "info" | "warn"; text: string }[] = [];
  readonly debugs: { event: string; data?: Record<string, unknown> | undefined }[] = [];
  idles = 0;

  phase(text: string): void {
    this.phases.push(text);
  }

  progress(event: ProgressEvent): void {
    this.events.push(event);
  }

  idle(): void {
    this.idles++;
  }

  info(text: string): void {
    this.lines.push({ level: "info", text });
  }

  warn(text: string): void {
    this.lines.push({ level: "warn", text });
  }

  debug(event: string, data?: Record<string, unknown>): void {
    this.debugs.push({ event, data });
  }
}
