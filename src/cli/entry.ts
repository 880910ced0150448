/**
 * What the bin files run. `--version` alone is answered here, before the parser and the
 * terminal output are imported (a cold start of `restager --version` is then Node's own);
 * everything else goes to main().
 */
import { version } from "./version.js";

export async function run(argv: string[]): Promise<number> {
  if (argv.length === 1 && argv[0] === "--version") {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const { main } = await import("./main.js");
  return main(argv);
}
