import type { CommandModule } from "yargs";
import type { Output } from "../output.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Command = CommandModule<any, any>;
type CommandFactory = (output: Output) => Command;

/**
 * The command table, in help order. Modules load on demand: `build-req` should not pay for
 * importing the Docker and HTTP clients the other commands use (about 0.3 s of start-up).
 */
const table: readonly { name: string; load: () => Promise<CommandFactory> }[] = [
  { name: "build-req", load: async () => (await import("./build-req.js")).buildReqCommand },
  { name: "launch-req", load: async () => (await import("./launch-req.js")).launchReqCommand },
  { name: "explain", load: async () => (await import("./explain.js")).explainCommand },
  { name: "restage", load: async () => (await import("./restage.js")).restageCommand },
  { name: "image", load: async () => (await import("./image.js")).imageCommand },
  { name: "launch", load: async () => (await import("./launch.js")).launchCommand },
  { name: "ps", load: async () => (await import("./ps.js")).psCommand },
  { name: "stop", load: async () => (await import("./stop.js")).stopCommand },
];

/**
 * The yargs CommandModules, built with the shared Output. When `argv` names a command before
 * anything else that is not a flag, only that command is loaded (its help and errors do not
 * involve the others); otherwise (top-level help, typos, no command) all of them are.
 */
export async function commands(output: Output, argv: readonly string[]): Promise<Command[]> {
  const named = argv.find((arg) => !arg.startsWith("-"));
  const chosen = table.filter((entry) => entry.name === named);
  const entries = chosen.length > 0 ? chosen : table;
  const factories = await Promise.all(entries.map((entry) => entry.load()));
  return factories.map((factory) => factory(output));
}
