import type { ProgressReporter } from "../app/progress.js";
import type { Output } from "./output.js";
import type { StatusLine } from "./status-line.js";

/**
 * The use cases' progress port on the terminal: phases on the status line, lines above it.
 * With --verbose each phase is also a debug line with the time since the process started
 * (`elapsed_ms`), so a slow run can be broken down.
 */
export function statusReporter(
  output: Output,
  status: StatusLine,
  clock: () => number = () => performance.now(),
): ProgressReporter {
  return {
    phase: (text) => {
      const elapsed = Math.round(clock());
      if (output.verbose) status.above(() => output.debug("phase", { text, elapsed_ms: elapsed }));
      status.phase(text);
    },
    progress: (event) => status.onProgress(event),
    idle: () => status.stop(),
    info: (text) => status.above(() => output.info(text)),
    warn: (text) => status.above(() => output.warn(text)),
    debug: (event, data) => {
      if (output.verbose) status.above(() => output.debug(event, data));
    },
  };
}
