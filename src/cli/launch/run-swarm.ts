import { DockerApps } from "../../container/docker-apps.js";
import { DockerSwarm } from "../../container/docker-swarm.js";
import type { SwarmTask } from "../../container/swarm-runtime.js";
import type { DesiredLrp } from "../../diego/desired-lrp.js";
import { ExitCode } from "../../errors.js";
import { planApp, type AppPlan } from "../../launch/app-plan.js";
import { findFreePort } from "../../launch/host-ports.js";
import { portUrl } from "../../launch/instance-urls.js";
import type { LaunchOptions } from "../../launch/launch-options.js";
import { launchSwarm, type SwarmOutcome } from "../../launch/launch-swarm.js";
import type { Output } from "../output.js";
import { interruptSignal } from "../interrupt-signal.js";
import type { LaunchArgs } from "./launch-args.js";
import { launchImage } from "./launch-image.js";

/** `launch --output swarm`: the LRP's instances as replicas of a Swarm service. */
export async function runSwarm(
  output: Output,
  lrp: DesiredLrp,
  settings: Omit<LaunchOptions, "image">,
  args: LaunchArgs,
): Promise<number> {
  const apps = new DockerApps({ env: output.env });
  const image = await launchImage(output, lrp, { runtime: apps, args });
  const plan = planApp(lrp, {
    ...settings,
    image: image.ref,
    dropletSha256: image.dropletSha256,
  });
  for (const notice of plan.notices) output.info(`Note: ${notice}`);
  if (plan.cpuShares)
    output.info("Note: Swarm services have no CPU shares; cpu_weight is not applied");
  const status = await output.statusLine();
  const interrupt = interruptSignal((signal) =>
    status.above(() => output.info(`Received ${signal}: removing the service...`)),
  );
  const name = plan.app.name ?? plan.app.guid;
  try {
    const outcome = await launchSwarm(
      plan,
      args.publishMode,
      {
        swarm: new DockerSwarm({ env: output.env }),
        findPort: findFreePort,
        onWaiting: (running, total) =>
          status.phase(`${name}: ${running} of ${total} replicas running`),
      },
      interrupt.signal,
    );
    status.stop();
    return reportSwarm(output, plan, outcome, apps.publishedHost);
  } finally {
    status.stop();
    interrupt.dispose();
  }
}

function reportSwarm(output: Output, plan: AppPlan, outcome: SwarmOutcome, host: string): number {
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
  return outcome.running >= plan.instances ? ExitCode.ok : ExitCode.taskFailed;
}

function taskUrls(task: SwarmTask, outcome: SwarmOutcome, host: string): string[] {
  const ports = task.ports.length > 0 ? task.ports : outcome.ingressPorts;
  return ports.map((port) => portUrl({ hostPort: port.published }, host));
}
