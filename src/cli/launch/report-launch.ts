import type { LogLine } from "../../container/app-runtime.js";
import { ExitCode } from "../../errors.js";
import type { AppPlan } from "../../launch/app-plan.js";
import type { InstanceOutcome } from "../../launch/instance-outcome.js";
import { portUrl } from "../../launch/instance-urls.js";
import { sourcedLine } from "../../launch/process-logs.js";
import { maskSecretsInText } from "../../core/redact.js";
import type { Output } from "../output.js";

export interface LaunchReport {
  plan: AppPlan;
  outcomes: InstanceOutcome[];
  /** The engine's host for URLs (AppRuntime.publishedHost). */
  host: string;
  elapsedMs: number;
  /** Masked in the log lines shown (apps print their credentials by accident). */
  secrets: readonly string[];
  /** --attach: stdout carries the logs, so the instance lines go to stderr. */
  attached?: boolean | undefined;
}

/**
 * Prints the instances (stdout: a line each, or --json) and, on stderr, a summary plus each
 * crash with its last log lines. Returns 0 when every instance runs, 1 (ExitCode.taskFailed:
 * the launch worked, the app did not) when any crashed.
 */
export function reportLaunch(output: Output, report: LaunchReport): number {
  const { plan, outcomes } = report;
  if (output.json && !report.attached) output.result(JSON.stringify(launchJson(report), null, 2));
  else {
    for (const outcome of outcomes) {
      const line = instanceLine(outcome, report.host);
      if (report.attached) output.info(line);
      else output.result(line);
    }
  }
  const running = outcomes.filter((o) => o.state === "running").length;
  const name = plan.app.name ?? plan.app.guid;
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  output.info(
    `${name}: ${running} of ${outcomes.length} instances running (${plan.image}) in ${seconds}s`,
  );
  for (const outcome of outcomes.filter((o) => o.state === "crashed")) {
    output.error(`Instance ${outcome.index} crashed: ${outcome.reason ?? "unknown reason"}`);
    for (const line of outcome.lastLines) {
      output.error(`  ${logLineText(plan, outcome.index, line, report.secrets)}`);
    }
  }
  if (report.attached) output.info("Streaming logs; press Ctrl-C to stop and remove the instances");
  else if (outcomes.length > 0) output.info(`Stop with: restager stop ${name}`);
  return running === outcomes.length ? ExitCode.ok : ExitCode.taskFailed;
}

/** `[APP/PROC/WEB/0] OUT text`, as `cf logs` shows an instance's lines. */
export function logLineText(
  plan: Pick<AppPlan, "logSource" | "sidecars">,
  index: number,
  raw: LogLine,
  secrets: readonly string[],
): string {
  const { source, line } = sourcedLine(raw, plan);
  return `[${source}/${index}] ${line.stream.toUpperCase()} ${maskSecretsInText(line.text, secrets)}`;
}

function instanceLine(outcome: InstanceOutcome, host: string): string {
  const ports = outcome.ports.map((p) => `${portUrl(p, host)} (${p.containerPort})`).join(" ");
  return `#${outcome.index} ${outcome.state.padEnd(7)} ${ports || "no published ports"}  ${outcome.name}`;
}

function launchJson({ plan, outcomes, host, secrets }: LaunchReport) {
  return {
    app: { name: plan.app.name ?? null, guid: plan.app.guid },
    process_guid: plan.processGuid,
    image: plan.image,
    instances: outcomes.map((o) => ({
      index: o.index,
      guid: o.guid,
      id: o.id,
      name: o.name,
      state: o.state,
      reason: o.reason ?? null,
      ports: o.ports.map((p) => ({
        container: p.containerPort,
        host: p.hostPort,
        url: portUrl(p, host),
      })),
      urls: o.ports.map((p) => portUrl(p, host)),
      ready_after_ms: o.readyAfterMs ?? null,
      last_lines: o.lastLines.map((raw) => {
        const { source, line } = sourcedLine(raw, plan);
        return { source, stream: line.stream, text: maskSecretsInText(line.text, secrets) };
      }),
    })),
  };
}
