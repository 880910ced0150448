import type { LogLine } from "../../container/app-runtime.js";
import { maskSecretsInText } from "../../core/redact.js";
import type { AppPlan } from "../../launch/app-plan.js";
import { sourcedLine } from "../../launch/process-logs.js";

/** One raw line of one instance (a sidecar's carries its log source's tag). */
export interface InstanceLine {
  index: number;
  line: LogLine;
}

/**
 * `[APP/PROC/WEB/0] OUT text`, as `cf logs` shows an instance's lines (a sidecar's under its
 * own log source); secrets masked.
 */
export function logLineText(
  plan: Pick<AppPlan, "logSource" | "sidecars">,
  { index, line: raw }: InstanceLine,
  secrets: readonly string[],
): string {
  const { source, line } = sourcedLine(raw, plan);
  return `[${source}/${index}] ${line.stream.toUpperCase()} ${maskSecretsInText(line.text, secrets)}`;
}
