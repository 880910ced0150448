/**
 * The frame of every benchmark script: options from argv and the environment, an AbortSignal
 * fired by Ctrl-C or SIGTERM (the suites clean up in `finally`), and a one-line error with exit
 * code 1 on failure.
 */
import { benchConfig, type BenchConfig } from "./bench-config.js";

export function runEntry(
  name: string,
  body: (config: BenchConfig, signal: AbortSignal) => Promise<void>,
): void {
  const controller = new AbortController();
  const interrupted = (): void => controller.abort(new Error("interrupted"));
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const run = async (): Promise<void> => {
    const config = benchConfig(process.argv.slice(2), process.env);
    try {
      await body(config, controller.signal);
    } catch (error) {
      throw controller.signal.aborted ? new Error("interrupted") : error;
    } finally {
      process.off("SIGINT", interrupted);
      process.off("SIGTERM", interrupted);
    }
  };
  run().catch((error: unknown) => {
    console.error(`[${name}] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
