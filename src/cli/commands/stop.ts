import type { CommandModule } from "yargs";
import { DockerApps } from "../../container/docker-apps.js";
import { DockerSwarm } from "../../container/docker-swarm.js";
import { stopApp } from "../../launch/stop-app.js";
import type { Output } from "../output.js";
import { commandSummaries } from "./summaries.js";

interface StopArgs {
  app: string;
}

/** `restager stop APP`: stops and removes what `launch` started for an app. */
export function stopCommand(output: Output): CommandModule<object, StopArgs> {
  return {
    ...commandSummaries.stop,
    builder: (yargs) =>
      yargs
        .positional("app", {
          type: "string",
          demandOption: true,
          describe: "The app's name, app guid or process guid (see 'restager ps')",
        })
        .example("$0 stop my-app", "remove every instance of my-app"),
    handler: async (args) => {
      const status = await output.statusLine();
      status.phase(`Stopping ${args.app}`);
      try {
        const result = await stopApp(args.app, {
          runtime: new DockerApps({ env: output.env }),
          swarm: new DockerSwarm({ env: output.env }),
        });
        status.stop();
        const services = result.services > 0 ? ` and ${result.services} Swarm service(s)` : "";
        output.info(
          `Stopped and removed ${result.containers} container(s)${services} of ${args.app}`,
        );
      } finally {
        status.stop();
      }
    },
  };
}
