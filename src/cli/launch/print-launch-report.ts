import type { LaunchReport } from "../../app/launch.js";
import type { Output } from "../output.js";
import { reportLaunch } from "./report-launch.js";
import { reportSwarm } from "./report-swarm.js";

/** Prints what `launch` returned and sets the exit code. */
export function printLaunchReport(output: Output, report: LaunchReport): void {
  switch (report.kind) {
    case "instances":
      reportLaunch(output, report.instances);
      break;
    case "attached":
      break;
    case "dry-run":
      for (const { index, line } of report.lines) {
        output.result(`# instance ${index}`);
        output.result(line);
      }
      break;
    case "swarm":
      reportSwarm(output, report);
      break;
    case "manifest":
      if (report.yaml !== undefined) output.result(report.yaml);
      for (const { level, text } of report.after) {
        if (level === "info") output.info(text);
        else output.warn(text);
      }
      break;
  }
  output.exitCode = report.exitCode;
}
