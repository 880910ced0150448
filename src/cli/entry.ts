/**
 * What the bin files run. `--version` (alone, or after a command: the bins' own `--version`) and
 * the top-level `--help` alone are answered here, before the parser and the terminal output are
 * imported (a cold start of either is then Node's own);
 * the usual spellings of build-req and launch-req run without the parser
 * (request-fast-path.ts); everything else goes to main().
 */
import { parseFastRequest, processIo, runFastRequest } from "./request-fast-path.js";

/** The commands that have a bin of their own (src/bin): `build-req --version` is theirs. */
const binCommands = new Set(["build-req", "launch-req", "restage", "launch"]);

/** True for `--version` alone or after a bin's command (what yargs answers with the version). */
export function asksForVersion(argv: readonly string[]): boolean {
  const [first, second] = argv;
  if (argv.length === 1) return first === "--version";
  return argv.length === 2 && binCommands.has(first as string) && second === "--version";
}

export async function run(argv: string[]): Promise<number> {
  if (asksForVersion(argv)) {
    const { version } = await import("./version.js");
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (argv.length === 1 && (argv[0] === "--help" || argv[0] === "-h")) {
    const { fastTopHelp, helpWidth } = await import("./top-help.js");
    const help = fastTopHelp(helpWidth(process.stdout.columns));
    if (help !== undefined) {
      process.stdout.write(help);
      return 0;
    }
  }
  const request = parseFastRequest(argv);
  if (request !== undefined) return runFastRequest(request, processIo());
  const { main } = await import("./main.js");
  return main(argv);
}
