import type { ProgressEvent } from "../core/events.js";

/**
 * What `cf logs` would show for a task: Diego's user-visible lines, tagged with a log source.
 * Implemented by the CLI (prefixed lines / spinner) and by a recorder in tests.
 */
export interface TaskLog {
  /** A log that tags its lines with `source` (Diego's log_source, e.g. "STG"). */
  withSource(source: string): TaskLog;
  readonly source: string;
  out(line: string): void;
  err(line: string): void;
  /** Structured progress for spinners; plain outputs may ignore it. */
  progress?(event: ProgressEvent): void;
}
