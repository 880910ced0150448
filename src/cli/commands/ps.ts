import type { CommandModule } from "yargs";
import { DockerApps } from "../../container/docker-apps.js";
import { DockerSwarm } from "../../container/docker-swarm.js";
import { listLaunchedApps } from "../../launch/launched-apps.js";
import { printLaunchedApps } from "../launch/print-launched-apps.js";
import type { Output } from "../output.js";
import { commandSummaries } from "./summaries.js";

/** `restager ps`: the apps `launch` started on this engine, with their instances. */
export function psCommand(output: Output): CommandModule<object, object> {
  return {
    ...commandSummaries.ps,
    builder: (yargs) =>
      yargs.example("$0 ps", "every launched app").example("$0 ps --json", "as JSON"),
    handler: async () => {
      const runtime = new DockerApps({ env: output.env });
      const apps = await listLaunchedApps(runtime, new DockerSwarm({ env: output.env }));
      printLaunchedApps(output, apps, runtime.publishedHost);
    },
  };
}
