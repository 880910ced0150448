import { findActions } from "../actions.js";
import type { Check, DesiredLrp } from "../desired-lrp.js";
import { redactArgs } from "../../core/redact.js";
import { formatDuration } from "./format-duration.js";
import type { PlanHealthCheck } from "./plan.js";

/**
 * How an LRP's health is checked (diego-reference.md §4.6): current cells use `check_definition`
 * whenever it is present, older ones run the `monitor` action; neither means no health check.
 */
export function healthCheckOf(lrp: DesiredLrp): PlanHealthCheck {
  const definition = lrp.checkDefinition;
  if (definition && definition.checks.length + definition.readinessChecks.length > 0) {
    return {
      source: "check_definition",
      checks: definition.checks.map(describeCheck),
      readinessChecks: definition.readinessChecks.map(describeCheck),
    };
  }
  if (lrp.monitor) {
    const runs = findActions(lrp.monitor, "run");
    const checks = runs.map((run) => [run.path, ...redactArgs(run.args)].join(" "));
    return { source: "monitor", checks, readinessChecks: [] };
  }
  return { source: "none", checks: [], readinessChecks: [] };
}

function describeCheck(check: Check): string {
  const options: string[] = [];
  if (check.kind === "tcp" && check.connectTimeoutMs) {
    options.push(`connect timeout ${formatDuration(check.connectTimeoutMs)}`);
  }
  if (check.kind === "http" && check.requestTimeoutMs) {
    options.push(`request timeout ${formatDuration(check.requestTimeoutMs)}`);
  }
  if (check.intervalMs) options.push(`every ${formatDuration(check.intervalMs)}`);
  const target = check.kind === "tcp" ? `tcp :${check.port}` : `http :${check.port}${check.path}`;
  return options.length > 0 ? `${target} (${options.join(", ")})` : target;
}
