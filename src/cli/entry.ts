/**
 * What the bin files run. `--version` and the top-level `--help` alone are answered here, before
 * the parser and the terminal output are imported (a cold start of either is then Node's own);
 * everything else goes to main().
 */
import { fastTopHelp, helpWidth } from "./top-help.js";
import { version } from "./version.js";

export async function run(argv: string[]): Promise<number> {
  if (argv.length === 1 && argv[0] === "--version") {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const help =
    argv.length === 1 && (argv[0] === "--help" || argv[0] === "-h")
      ? fastTopHelp(helpWidth(process.stdout.columns))
      : undefined;
  if (help !== undefined) {
    process.stdout.write(help);
    return 0;
  }
  const { main } = await import("./main.js");
  return main(argv);
}
