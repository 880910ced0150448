/** The composition root of `stop`: Docker's app runtime and Swarm, the status line. */
import { stop } from "../../app/stop.js";
import { DockerApps } from "../../container/docker-apps.js";
import { DockerSwarm } from "../../container/docker-swarm.js";
import type { Output } from "../output.js";

export async function runStop(output: Output, request: { app: string }): Promise<void> {
  const status = await output.statusLine();
  const result = await stop(request, {
    runtime: new DockerApps({ env: output.env }),
    swarm: new DockerSwarm({ env: output.env }),
    onPhase: (text) => (text === undefined ? status.stop() : status.phase(text)),
  });
  const services = result.services > 0 ? ` and ${result.services} Swarm service(s)` : "";
  output.info(`Stopped and removed ${result.containers} container(s)${services} of ${result.app}`);
}
