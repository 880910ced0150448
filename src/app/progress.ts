/**
 * How a use case tells what it is doing. The use cases never write to the terminal: the CLI
 * implements this port with its status line (a spinner on a TTY) and stderr.
 */
import type { ProgressEvent } from "../core/events.js";

export interface ProgressReporter {
  /** A phase started (`my-app: staging`): the status line shows it. */
  phase(text: string): void;
  /** Transfer progress within the current phase. */
  progress(event: ProgressEvent): void;
  /** The phases are over for now (the status line stops, so a report can follow). */
  idle(): void;
  info(text: string): void;
  warn(text: string): void;
  /** Diagnostics (shown with --verbose). */
  debug(event: string, data?: Record<string, unknown>): void;
}
