import { randomUUID } from "node:crypto";
import type { AppRuntime } from "../../container/app-runtime.js";
import type { AppPlan } from "../../launch/app-plan.js";
import { appContainerSpec } from "../../launch/container-spec.js";
import { chooseHostPorts, findFreePort } from "../../launch/host-ports.js";
import { dockerRunLine } from "../../launch/docker-run-line.js";
import { planInstance } from "../../launch/instance-plan.js";
import type { Output } from "../output.js";

/**
 * `launch --dry-run`: the `docker run` command of each instance, secrets masked, on stdout.
 * Only reads from the engine (the network's gateway); host ports are picked as for a launch.
 */
export async function printLaunchDryRun(
  output: Output,
  plan: AppPlan,
  runtime: Pick<AppRuntime, "networkGateway">,
  secrets: readonly string[],
): Promise<void> {
  const hostIp = (await runtime.networkGateway(plan.network)) ?? "127.0.0.1";
  const taken = new Set<number>();
  for (let index = 0; index < plan.instances; index++) {
    const ports = await chooseHostPorts(plan, index, taken, findFreePort);
    const guid = randomUUID();
    const instance = planInstance(plan, { index, guid, hostIp, ports });
    output.result(`# instance ${index}`);
    output.result(dockerRunLine(appContainerSpec(plan, instance), secrets));
  }
}
