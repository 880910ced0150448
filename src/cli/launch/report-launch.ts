import type { InstancesReport } from "../../app/launch/launch-report.js";
import { logLineText } from "../../app/launch/log-line-text.js";
import type { InstanceOutcome } from "../../launch/instance-outcome.js";
import { portUrl } from "../../launch/instance-urls.js";
import { sourcedLine } from "../../launch/process-logs.js";
import { maskSecretsInText } from "../../core/redact.js";
import type { Output } from "../output.js";

/**
 * Prints the instances (stdout: a line each, or --json) and, on stderr, the replaced older
 * instances, a summary plus each crash with its last log lines.
 */
export function reportLaunch(output: Output, report: InstancesReport): void {
  const { plan, outcomes } = report;
  for (const old of report.replaced ?? []) {
    output.info(`Replaced instance #${old.index} (${old.name}) holding an older droplet`);
  }
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
      output.error(`  ${logLineText(plan, { index: outcome.index, line }, report.secrets)}`);
    }
  }
  if (report.attached) output.info("Streaming logs; press Ctrl-C to stop and remove the instances");
  else if (outcomes.length > 0) output.info(`Stop with: restager stop ${name}`);
}

function instanceLine(outcome: InstanceOutcome, host: string): string {
  const ports = outcome.ports.map((p) => `${portUrl(p, host)} (${p.containerPort})`).join(" ");
  return `#${outcome.index} ${outcome.state.padEnd(7)} ${ports || "no published ports"}  ${outcome.name}`;
}

function launchJson({ plan, outcomes, host, secrets }: InstancesReport) {
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
