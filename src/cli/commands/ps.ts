import type { CommandModule } from "yargs";
import { DockerApps } from "../../container/docker-apps.js";
import { DockerRuntime } from "../../container/docker-runtime.js";
import { DockerSwarm } from "../../container/docker-swarm.js";
import { listLaunchedApps } from "../../launch/launched-apps.js";
import { printLaunchedApps } from "../launch/print-launched-apps.js";
import type { Output } from "../output.js";
import { printLeftovers } from "../restage/print-leftovers.js";
import { surveyLeftovers } from "../../app/restage/leftovers.js";
import { commandSummaries } from "./summaries.js";

interface PsArgs {
  all?: boolean;
}

/**
 * `restager ps`: the apps `launch` started on this engine, with their instances; `--all` adds
 * what restages own (staging and fill containers, volumes being filled, temp directories).
 */
export function psCommand(output: Output): CommandModule<object, PsArgs> {
  return {
    ...commandSummaries.ps,
    builder: (yargs) =>
      yargs
        .option("all", {
          type: "boolean",
          alias: "a",
          describe:
            "Also list what restages own or left behind (containers, volumes being filled, temp dirs) and why",
        })
        .example("$0 ps", "every launched app")
        .example("$0 ps --json", "as JSON")
        .example("$0 ps --all", "and what restages left, with why"),
    handler: async (args) => {
      const runtime = new DockerApps({ env: output.env });
      const apps = await listLaunchedApps(runtime, new DockerSwarm({ env: output.env }));
      if (args.all !== true) {
        printLaunchedApps(output, apps, runtime.publishedHost);
        return;
      }
      const leftovers = await surveyLeftovers(new DockerRuntime({ env: output.env }));
      printLeftovers(output, { apps, leftovers, host: runtime.publishedHost });
    },
  };
}
