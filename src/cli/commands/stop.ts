import type { CommandModule } from "yargs";
import type { Output } from "../output.js";
import { runStop } from "../wiring/stop.js";
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
    handler: (args) => runStop(output, { app: args.app }),
  };
}
