import { createRequire } from "node:module";
import type { Argv } from "yargs";
import { ExitCode, UsageError } from "../errors.js";
import { reportError } from "./report-error.js";
import { createOutput, type CliIo, type Output } from "./output.js";
import { commands } from "./commands/index.js";
import { globalOptions, helpWidth, usageText } from "./top-help.js";
import { version } from "./version.js";

// yargs' ES module build wraps help text every N characters, cutting words in half; its
// CommonJS build (same version, same API) wraps at word boundaries.
const yargs = createRequire(import.meta.url)("yargs") as typeof import("yargs").default;

/**
 * Runs the CLI and returns the exit code; bin files assign it to process.exitCode so that no
 * path calls process.exit() while output is still flushing.
 */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const verbose = argv.includes("--verbose") || argv.includes("-v");
  const output = createOutput({ ...io, verbose, json: argv.includes("--json") });
  try {
    await (await buildParser(argv, output)).parseAsync();
    return Number(process.exitCode ?? 0) || output.exitCode;
  } catch (error) {
    return reportError(error, output);
  }
}

function defaultIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

async function buildParser(argv: string[], output: Output): Promise<Argv> {
  let parser = yargs(argv)
    .scriptName("restager")
    // A repeatable option takes one value per occurrence, so it never swallows a positional:
    // `restage --tag my/app:1 task.json` reads task.json (yargs' default is greedy).
    .parserConfiguration({ "greedy-arrays": false })
    .usage(usageText)
    .option("verbose", globalOptions.verbose)
    .option("json", globalOptions.json)
    .version(version)
    .help()
    .alias("help", "h")
    .strict()
    .demandCommand(1, "Name a command; see 'restager --help'")
    .recommendCommands()
    .wrap(helpWidth(process.stdout.columns))
    .exitProcess(false)
    // Handler failures are rethrown untouched so they are reported once, without the help text.
    .fail((message: string | undefined, error: Error | undefined) => {
      // yargs reports some argument errors (a missing value after an option) as a YError.
      if (error && error.name !== "YError") throw error;
      throw new UsageError(message ?? error?.message ?? "Invalid arguments", {
        hint: "Run 'restager <command> --help' for the options",
      });
    });
  // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- each module types its own args
  for (const command of await commands(output, argv)) parser = parser.command(command);
  skipHelpCache(parser);
  return parser;
}

interface UsageInternals {
  getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } };
}

/**
 * yargs renders a command's whole help text right after starting its handler, to have it at
 * hand should the handler fail (yargs' own command runner): 40–80 ms of CPU in the way of every
 * command. restager's failures never show that text (`.fail` above rethrows), so the rendering
 * is skipped. Reached through yargs' internal methods; when a release moves them, nothing is
 * skipped (test/unit/cli/help-cache.test.ts checks that it still is).
 */
export function skipHelpCache(parser: Argv): void {
  const usage = (parser as unknown as UsageInternals).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === "function") {
    usage.cacheHelpMessage = () => undefined;
  }
}

export { ExitCode };
export type { CliIo };
