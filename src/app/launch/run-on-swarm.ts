import type { DesiredLrp } from "../../diego/desired-lrp.js";
import { planApp } from "../../launch/app-plan.js";
import { findFreePort } from "../../launch/host-ports.js";
import { launchSwarm } from "../../launch/launch-swarm.js";
import { launchImage } from "./launch-image.js";
import { swarmExitCode, type LaunchReport } from "./launch-report.js";
import type { LaunchPorts, LaunchRequest } from "./launch-request.js";
import type { LaunchSettings } from "./launch-settings.js";

export interface SwarmLaunch {
  lrp: DesiredLrp;
  request: LaunchRequest;
  settings: LaunchSettings;
}

/** `launch` with target swarm: the LRP's instances as replicas of a Swarm service. */
export async function runOnSwarm(launch: SwarmLaunch, ports: LaunchPorts): Promise<LaunchReport> {
  const { lrp, request, settings } = launch;
  const { onProgress } = ports;
  const image = await launchImage({ lrp, request }, ports);
  const plan = planApp(lrp, {
    ...settings,
    image: image.ref,
    dropletSha256: image.dropletSha256,
  });
  for (const notice of plan.notices) onProgress({ kind: "note", text: notice });
  if (plan.cpuShares) {
    onProgress({
      kind: "note",
      text: "Swarm services have no CPU shares; cpu_weight is not applied",
    });
  }
  const interrupt = ports.interruption("removing the service");
  const app = plan.app.name ?? plan.app.guid;
  try {
    const outcome = await launchSwarm(
      { app: plan, mode: request.publishMode },
      {
        swarm: ports.swarm(),
        findPort: findFreePort,
        onWaiting: (running, total) => onProgress({ kind: "replicas", app, running, total }),
      },
      interrupt.signal,
    );
    onProgress({ kind: "phase-end" });
    const host = ports.runtime().publishedHost;
    return { kind: "swarm", exitCode: swarmExitCode(plan, outcome), plan, outcome, host };
  } finally {
    onProgress({ kind: "phase-end" });
    interrupt.dispose();
  }
}
