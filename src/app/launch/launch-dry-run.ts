import type { AppRuntime } from "../../container/app-runtime.js";
import type { AppPlan } from "../../launch/app-plan.js";
import { appContainerSpec } from "../../launch/container-spec.js";
import { chooseHostPorts, findFreePort } from "../../launch/host-ports.js";
import { dockerRunLine } from "../../launch/docker-run-line.js";
import { planInstance } from "../../launch/instance-plan.js";
import { newInstanceGuid } from "../../launch/start-instances.js";
import type { DryRunLine } from "./launch-report.js";

/**
 * `launch --dry-run`: the `docker run` command of each instance, secrets masked.
 * Only reads from the engine (the network's gateway); host ports are picked as for a launch.
 * Crashes restart (`--restart unless-stopped`) from the start, including one before the app
 * first answered, since nothing reports it as `launch` does.
 */
export async function launchDryRun(
  plan: AppPlan,
  runtime: Pick<AppRuntime, "networkGateway">,
  secrets: readonly string[],
): Promise<DryRunLine[]> {
  const hostIp = (await runtime.networkGateway(plan.network)) ?? "127.0.0.1";
  const taken = new Set<number>();
  const lines: DryRunLine[] = [];
  for (let index = 0; index < plan.instances; index++) {
    const ports = await chooseHostPorts(plan, { index, taken, findPort: findFreePort });
    const guid = newInstanceGuid();
    const instance = planInstance(plan, { index, guid, hostIp, ports });
    // No launch turns restarts on once the instance runs: the printed line restarts at once.
    const spec = { ...appContainerSpec(plan, instance), restart: "unless-stopped" as const };
    lines.push({ index, line: dockerRunLine(spec, secrets) });
  }
  return lines;
}
