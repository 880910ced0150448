import type { LaunchEvent } from "../../launch/launch-events.js";
import type { StatusLine } from "../status-line.js";

/** Shows a launch's progress on the status line (a spinner on a terminal, nothing otherwise). */
export function launchStatus(status: StatusLine, name: string): (event: LaunchEvent) => void {
  return (event) => {
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
  };
}
