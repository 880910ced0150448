import type { CommandModule } from "yargs";
import type { Output } from "../output.js";
import { runPs } from "../wiring/ps.js";
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
    handler: (args) => runPs(output, { all: args.all === true }),
  };
}
