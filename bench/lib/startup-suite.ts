/**
 * Start-up (issue 14): cold Node processes of the built CLI — `restager --version`, `--help`, and
 * `build-req` on a small log (the fixture stager log, 30 KB) — each the median of `runs`, with
 * Node's own start (`node -e 0`) measured alongside as the floor. The commands are interleaved so
 * that a busy moment of the machine hits all of them alike.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchConfig } from "./bench-config.js";
import { median } from "./markdown-table.js";
import { progress } from "./progress.js";
import { checkSuccess, runProcess } from "./run-process.js";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const restager = resolve(root, "dist/bin/restager.js");
const smallLog = resolve(root, "fixtures/logs/stager-bbs-2016.log");

export const startupCommands = {
  node: ["-e", "0"],
  version: [restager, "--version"],
  help: [restager, "--help"],
  buildReq: [restager, "build-req", "--log", smallLog],
} as const;

export type StartupName = keyof typeof startupCommands;

export interface StartupFigures {
  runs: number;
  /** Median wall time of each command, ms. */
  medianMs: Record<StartupName, number>;
}

export async function runStartupSuite(
  config: BenchConfig,
  signal: AbortSignal,
): Promise<StartupFigures> {
  const runs = Math.max(5, config.launchRuns);
  const samples: Record<StartupName, number[]> = { node: [], version: [], help: [], buildReq: [] };
  for (let round = 0; round < runs; round++) {
    for (const name of Object.keys(startupCommands) as StartupName[]) {
      const result = await runProcess(process.execPath, startupCommands[name], { signal });
      samples[name].push(checkSuccess(`start-up: ${name}`, result).wallMs);
    }
  }
  const medianMs = {
    node: median(samples.node),
    version: median(samples.version),
    help: median(samples.help),
    buildReq: median(samples.buildReq),
  };
  progress(`start-up medians (ms): ${JSON.stringify(medianMs)}`);
  return { runs, medianMs };
}
