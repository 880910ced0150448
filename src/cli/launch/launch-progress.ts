import type { LaunchProgress } from "../../app/launch.js";
import type { LaunchEvent } from "../../launch/launch-events.js";
import type { Output } from "../output.js";
import { printWarnings } from "../print-warnings.js";
import type { StatusLine } from "../status-line.js";
import { reportLaunch } from "./report-launch.js";

/** Shows a launch's progress: phases on the status line, notes and log lines as they come. */
export function launchProgress(
  output: Output,
  status: StatusLine,
): (event: LaunchProgress) => void {
  return (event) => {
    switch (event.kind) {
      case "input-warnings":
        return printWarnings(output, event.warnings);
      case "note":
        return output.info(`Note: ${event.text}`);
      case "info":
        return output.info(event.text);
      case "warning":
        return output.warn(event.text);
      case "error":
        return output.error(event.text);
      case "phase":
        return status.phase(event.text);
      case "phase-end":
        return status.stop();
      case "instances":
        return instancePhase(status, event.app, event.event);
      case "replicas":
        return status.phase(`${event.app}: ${event.running} of ${event.total} replicas running`);
      case "attached":
        return reportLaunch(output, event.report);
      case "log-line":
        return output.result(event.text);
      case "debug":
        return output.debug(event.event, event.data);
    }
  };
}

/** A launch's instances on the status line (a spinner on a terminal, nothing otherwise). */
function instancePhase(status: StatusLine, name: string, event: LaunchEvent): void {
  switch (event.kind) {
    case "starting":
      status.phase(`${name}: starting instance ${event.index}`);
      return;
    case "port-retry":
      status.phase(`${name}: host port ${event.hostPort ?? "?"} was taken; picking another`);
      return;
    case "waiting":
      status.phase(
        `${name}: waiting for ${event.pending} of ${event.total} instances to be healthy`,
      );
      return;
    case "settled":
      return;
  }
}
