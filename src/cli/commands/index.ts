import type { CommandModule } from "yargs";
import { InternalError } from "../../errors.js";
import type { Output } from "../output.js";
import { commandSummaries, type CommandName } from "./summaries.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Command = CommandModule<any, any>;
type CommandFactory = (output: Output) => Command;

/**
 * The command table, in help order. Modules load on demand: `build-req` should not pay for
 * importing the Docker and HTTP clients the other commands use (about 0.3 s of start-up).
 */
const table: readonly { name: CommandName; load: () => Promise<CommandFactory> }[] = [
  { name: "build-req", load: async () => (await import("./build-req.js")).buildReqCommand },
  { name: "launch-req", load: async () => (await import("./launch-req.js")).launchReqCommand },
  { name: "explain", load: async () => (await import("./explain.js")).explainCommand },
  { name: "restage", load: async () => (await import("./restage.js")).restageCommand },
  { name: "image", load: async () => (await import("./image.js")).imageCommand },
  { name: "launch", load: async () => (await import("./launch.js")).launchCommand },
  { name: "ps", load: async () => (await import("./ps.js")).psCommand },
  { name: "stop", load: async () => (await import("./stop.js")).stopCommand },
  { name: "cache", load: async () => (await import("./cache.js")).cacheCommand },
];

/**
 * The yargs CommandModules, built with the shared Output. When `argv` names a command before
 * anything else that is not a flag, only that command is loaded (its help and errors do not
 * involve the others); otherwise (top-level help, typos, no command) every command is listed
 * by its summary alone, and no module is loaded.
 */
export async function commands(output: Output, argv: readonly string[]): Promise<Command[]> {
  const named = argv.find((arg) => !arg.startsWith("-"));
  const chosen = table.find((entry) => entry.name === named);
  if (chosen) return [(await chosen.load())(output)];
  return table.map((entry) => ({
    ...commandSummaries[entry.name],
    handler: () => {
      throw new InternalError(`the command ${entry.name} ran without being loaded`);
    },
  }));
}
