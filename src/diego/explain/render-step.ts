import type { PlanRun, PlanStep } from "./explain-plan.js";

const indentUnit = "  ";
const labelWidth = 11;
/** Long env values (VCAP_APPLICATION) are cut so the tree stays readable; URLs and args never are. */
const maxEnvValueLength = 100;

/** Lines of one step and its children, indented two spaces per level. */
export function renderStep(step: PlanStep, depth: number): string[] {
  const pad = indentUnit.repeat(depth);
  const source = step.logSource ? ` [log source ${step.logSource}]` : "";
  switch (step.kind) {
    case "download":
      return [
        `${pad}download ${artifactName(step.artifact)}to ${step.target} as ${step.user}${source}`,
        ...field(depth + 1, "from", step.source),
        ...field(depth + 1, "cache key", step.cacheKey || "(none: always downloaded)"),
        ...(step.checksum ? field(depth + 1, "checksum", step.checksum) : []),
      ];
    case "upload":
      return [
        `${pad}upload ${artifactName(step.artifact)}from ${step.from} as ${step.user}${source}`,
        ...field(depth + 1, "to", step.destination),
      ];
    case "run":
      return renderRun(step, depth, source);
    case "timeout":
      return [`${pad}timeout ${step.duration}${source}`, ...renderStep(step.step, depth + 1)];
    case "emit_progress":
      return [
        `${pad}emit_progress${progressMessages(step)}${source}`,
        ...renderStep(step.step, depth + 1),
      ];
    case "try":
      return [`${pad}try (failure ignored)${source}`, ...renderStep(step.step, depth + 1)];
    case "serial":
    case "parallel":
    case "codependent":
      return [
        `${pad}${step.kind}${groupNote(step.kind)}${source}`,
        ...step.steps.flatMap((child) => renderStep(child, depth + 1)),
      ];
  }
}

function renderRun(step: PlanRun, depth: number, source: string): string[] {
  const pad = indentUnit.repeat(depth);
  const suppressed = step.suppressLogOutput ? " (output suppressed)" : "";
  return [
    `${pad}run ${step.path} as ${step.user} in ${step.dir}${suppressed}${source}`,
    ...field(depth + 1, "args", ...step.args.map(quoteIfNeeded)),
    ...field(depth + 1, "env", ...step.env.map(({ name, value }) => `${name}=${shorten(value)}`)),
    ...(step.nofile === undefined ? [] : field(depth + 1, "nofile", String(step.nofile))),
  ];
}

/**
 * `label  value` lines, continuation values aligned under the first; nothing when there are no
 * values. Line breaks inside a value are shown as `\n` so each value stays on one line.
 */
export function field(depth: number, label: string, ...values: string[]): string[] {
  const pad = indentUnit.repeat(depth);
  return values.map((value, i) => {
    const head = i === 0 ? label.padEnd(labelWidth) : " ".repeat(labelWidth);
    return `${pad}${head} ${value.replace(/\r?\n/g, "\\n")}`;
  });
}

/** An env value cut to a readable length. */
export function shorten(value: string): string {
  return value.length > maxEnvValueLength ? `${value.slice(0, maxEnvValueLength - 1)}…` : value;
}

function artifactName(artifact: string): string {
  return artifact ? `"${artifact}" ` : "";
}

function quoteIfNeeded(arg: string): string {
  return arg === "" || /[\s"']/.test(arg) ? JSON.stringify(arg) : arg;
}

function progressMessages(step: Extract<PlanStep, { kind: "emit_progress" }>): string {
  const parts = [
    step.startMessage && `start ${JSON.stringify(step.startMessage)}`,
    step.successMessage && `success ${JSON.stringify(step.successMessage)}`,
    step.failureMessagePrefix && `failure ${JSON.stringify(step.failureMessagePrefix)}`,
  ].filter(Boolean);
  return parts.length > 0 ? ` ${parts.join(", ")}` : " (no messages)";
}

function groupNote(kind: "serial" | "parallel" | "codependent"): string {
  if (kind === "parallel") return " (all run at once; waits for all)";
  if (kind === "codependent") return " (all run at once; the first to exit stops the rest)";
  return "";
}
