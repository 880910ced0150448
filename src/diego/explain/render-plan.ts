import { formatDuration } from "./format-duration.js";
import type { ExplainPlan, PlanLrp } from "./explain-plan.js";
import { field, renderStep, shorten } from "./render-step.js";

/**
 * The plan as indented text (two spaces per level), for `--explain`. Values are the plan's,
 * already redacted; long ones are shortened. No trailing newline.
 */
export function renderPlan(plan: ExplainPlan): string {
  const lines = [...header(plan), ...dependencies(plan), ...layers(plan)];
  if (plan.setup) lines.push("Setup", ...renderStep(plan.setup, 1));
  lines.push("Action", ...renderStep(plan.action, 1));
  if (plan.lrp?.monitor) lines.push("Monitor", ...renderStep(plan.lrp.monitor, 1));
  if (plan.task) {
    lines.push(...field(0, "Result file", plan.task.resultFile || "(none)"));
    lines.push(...field(0, "Callback", plan.task.completionCallbackUrl || "(none)"));
  }
  return lines.join("\n");
}

function header(plan: ExplainPlan): string[] {
  const what = plan.kind === "task" ? "Task" : "Desired LRP";
  const about = [plan.domain && `domain ${plan.domain}`, `${plan.era}-era request`];
  if (plan.task?.state) about.push(`state ${plan.task.state}`);
  const { memoryMb, diskMb, cpuWeight, nofile, maxPids } = plan.limits;
  const limits = [`memory ${memoryMb} MB`, `disk ${diskMb || "unlimited"}${diskMb ? " MB" : ""}`];
  limits.push(`cpu weight ${cpuWeight}`);
  if (nofile !== undefined) limits.push(`nofile ${nofile}`);
  if (maxPids > 0) limits.push(`max pids ${maxPids}`);
  return [
    `${what} ${plan.guid ?? "(no guid)"} (${about.filter(Boolean).join("; ")})`,
    ...field(1, "rootfs", plan.stack ? `${plan.rootfs} (stack ${plan.stack})` : plan.rootfs),
    ...field(1, "privileged", plan.privileged ? "yes (Diego: no user namespace)" : "no"),
    ...field(1, "limits", limits.join(", ")),
    ...field(1, "logs", `source ${plan.logSource || "(none)"}, guid ${plan.logGuid || "(none)"}`),
    ...field(1, "placement", ...plan.placementTags),
    ...field(1, "egress", `${plan.egressRuleCount} rule${plan.egressRuleCount === 1 ? "" : "s"}`),
    ...field(1, "env", ...plan.env.map(({ name, value }) => `${name}=${shorten(value)}`)),
    ...(plan.lrp ? lrpLines(plan.lrp) : []),
  ];
}

function lrpLines(lrp: PlanLrp): string[] {
  const { healthCheck, routes } = lrp;
  const checks = healthCheck.checks.map((check) => `${healthCheck.source}: ${check}`);
  const readiness = healthCheck.readinessChecks.map((check) => `readiness: ${check}`);
  const routeLines = [
    ...routes.http.map(
      (route) =>
        `http ${route.hostnames.join(", ")} -> :${route.port}` +
        (route.routeService ? ` via ${route.routeService}` : ""),
    ),
    ...routes.tcp.map((route) => `tcp :${route.externalPort} -> :${route.containerPort}`),
    ...routes.internal.map((hostname) => `internal ${hostname}`),
    ...(routes.ssh
      ? [`ssh :${routes.ssh.containerPort} (host key ${routes.ssh.hostFingerprint || "unknown"})`]
      : []),
  ];
  return [
    ...field(1, "instances", String(lrp.instances)),
    ...field(1, "ports", lrp.ports.join(", ") || "(none)"),
    ...field(
      1,
      "start",
      lrp.startTimeoutMs
        ? `healthy within ${formatDuration(lrp.startTimeoutMs)}`
        : "no start timeout",
    ),
    ...field(
      1,
      "health",
      ...(checks.length + readiness.length > 0 ? [...checks, ...readiness] : ["none"]),
    ),
    ...field(1, "routes", ...(routeLines.length > 0 ? routeLines : ["none"])),
  ];
}

function dependencies(plan: ExplainPlan): string[] {
  if (plan.cachedDependencies.length === 0) return [];
  return [
    "Cached dependencies (downloaded before the container starts, mounted read-only)",
    ...plan.cachedDependencies.flatMap((dependency) => [
      `  ${dependency.target}${dependency.name ? ` (${dependency.name})` : ""}`,
      ...field(2, "from", dependency.source),
      ...field(2, "cache key", dependency.cacheKey || "(none)"),
      ...(dependency.checksum ? field(2, "checksum", dependency.checksum) : []),
    ]),
  ];
}

function layers(plan: ExplainPlan): string[] {
  if (plan.imageLayers.length === 0) return [];
  return [
    "Image layers (SHARED: cached dependencies above; EXCLUSIVE: downloads in the setup)",
    ...plan.imageLayers.flatMap((layer) => [
      `  ${layer.layerType} ${layer.mediaType} ${layer.name ? `"${layer.name}" ` : ""}to ${layer.target}`,
      ...field(2, "from", layer.source),
      ...(layer.digest ? field(2, "digest", layer.digest) : []),
    ]),
  ];
}
