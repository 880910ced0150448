/** The composition root of `ps`: Docker's app runtime and Swarm, the restage leftover survey. */
import { listLaunched } from "../../app/ps.js";
import { DockerApps } from "../../container/docker-apps.js";
import { DockerRuntime } from "../../container/docker-runtime.js";
import { DockerSwarm } from "../../container/docker-swarm.js";
import { printLaunchedApps } from "../launch/print-launched-apps.js";
import type { Output } from "../output.js";
import { surveyLeftovers } from "../../app/restage/leftovers.js";
import { printLeftovers } from "../restage/print-leftovers.js";

export async function runPs(output: Output, request: { all: boolean }): Promise<void> {
  const { env } = output;
  const report = await listLaunched(request, {
    runtime: new DockerApps({ env }),
    swarm: new DockerSwarm({ env }),
    leftovers: () => surveyLeftovers(new DockerRuntime({ env })),
  });
  if (report.leftovers === undefined) printLaunchedApps(output, report.apps, report.host);
  else printLeftovers(output, { ...report, leftovers: report.leftovers });
}
