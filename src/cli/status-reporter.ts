import type { ProgressReporter } from "../app/progress.js";
import type { Output } from "./output.js";
import type { StatusLine } from "./status-line.js";

/** The use cases' progress port on the terminal: phases on the status line, lines above it. */
export function statusReporter(output: Output, status: StatusLine): ProgressReporter {
  return {
    phase: (text) => {
      if (output.verbose) status.above(() => output.debug("phase", { text }));
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
