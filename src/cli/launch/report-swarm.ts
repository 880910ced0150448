import type { AppPlan } from "../../launch/app-plan.js";
import type { SwarmTask } from "../../container/swarm-runtime.js";
import { portUrl } from "../../launch/instance-urls.js";
import type { SwarmOutcome } from "../../launch/launch-swarm.js";
import type { Output } from "../output.js";

export interface SwarmReport {
  plan: AppPlan;
  outcome: SwarmOutcome;
  host: string;
}

/** `launch --output swarm`: a line per task (or --json), then the summary and failed replicas. */
export function reportSwarm(output: Output, { plan, outcome, host }: SwarmReport): void {
  const tasks = outcome.tasks.map((task) => ({ task, urls: taskUrls(task, outcome, host) }));
  if (output.json) {
    const json = {
      app: { name: plan.app.name ?? null, guid: plan.app.guid },
      process_guid: plan.processGuid,
      image: plan.image,
      service: { id: outcome.serviceId, name: outcome.serviceName },
      replicas: plan.instances,
      running: outcome.running,
      tasks: tasks.map(({ task, urls }) => ({
        index: task.slot - 1,
        id: task.id,
        state: task.state,
        error: task.error ?? null,
        urls,
      })),
    };
    output.result(JSON.stringify(json, null, 2));
  } else {
    for (const { task, urls } of tasks) {
      output.result(
        `#${task.slot - 1} ${task.state.padEnd(8)} ${urls.join(" ") || "-"}  ${outcome.serviceName}.${task.slot}`,
      );
    }
  }
  output.info(
    `Service ${outcome.serviceName}: ${outcome.running} of ${plan.instances} replicas running`,
  );
  for (const { task } of tasks.filter(({ task }) => task.state !== "running")) {
    output.error(`Replica ${task.slot - 1} is ${task.state}: ${task.error ?? task.message}`);
  }
  output.info(`Stop with: restager stop ${plan.app.name ?? plan.app.guid}`);
}

function taskUrls(task: SwarmTask, outcome: SwarmOutcome, host: string): string[] {
  const ports = task.ports.length > 0 ? task.ports : outcome.ingressPorts;
  return ports.map((port) => portUrl({ hostPort: port.published }, host));
}
