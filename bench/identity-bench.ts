/**
 * The instance-identity issuer's cost at a command's start (issue 14; figures, not tests): each
 * round runs bench/identity-start.mjs once per contender, a fresh `node` that sets the issuer up,
 * waits as long as a container's create + start take (150 ms), then asks for an identity.
 * Prints medians: time from the process's start until the identity is issued, the process's
 * CPU (all threads) and its wall time until exit; and, for a run that ends 30 ms after setting
 * the issuer up without asking (a launch failing early), how long its exit is held back. Optionally with one core kept busy (as dockerd
 * keeps one while it starts a container).
 * Run: `npm run build && npx vite-node bench/identity-bench.ts`, the contenders in
 * BENCH_IDENTITY_CONTENDERS as `label=DIST:MODE ...`, MODE `in-process` or `worker` (the worker
 * exists only in builds from before issue 14; build an older commit elsewhere and name its
 * dist). Default: `in-process=dist:in-process`.
 * BENCH_IDENTITY_RUNS (default 15), BENCH_IDENTITY_BUSY=1 for the busy core.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEntry } from "./lib/entry.js";
import { runProcess } from "./lib/run-process.js";

interface Sample {
  identityMs: number;
  cpuMs: number;
  wallMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? NaN);
};

runEntry("identity-bench", async (_config, signal) => {
  const specs = (process.env.BENCH_IDENTITY_CONTENDERS ?? "in-process=dist:in-process").split(" ");
  const contenders = specs.map((spec) => {
    const [label = "", target = ""] = spec.split("=");
    const [dist = "", mode = "in-process"] = target.split(":");
    return { label, dist, mode };
  });
  const runs = Number(process.env.BENCH_IDENTITY_RUNS ?? 15);
  const cacheDir = await mkdtemp(join(tmpdir(), "restager-identity-bench-"));
  const busy =
    process.env.BENCH_IDENTITY_BUSY === "1"
      ? spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" })
      : undefined;
  const samples = new Map<string, Sample[]>(contenders.map((c) => [c.label, []]));
  const exitDelays = new Map<string, number[]>(contenders.map((c) => [c.label, []]));
  try {
    for (let round = 0; round <= runs; round += 1) {
      for (const { label, dist, mode } of contenders) {
        const args = ["bench/identity-start.mjs", dist, mode, "150", cacheDir];
        const result = await runProcess(process.execPath, args, { signal });
        if (result.exitCode !== 0) throw new Error(`${label}: ${result.stderr.trim()}`);
        const out = JSON.parse(result.stdout) as { identityMs: number; cpuMs: number };
        // Round 0 creates the CA and warms the file cache: not counted.
        if (round > 0) samples.get(label)?.push({ ...out, wallMs: result.wallMs });
        const early = await runProcess(
          process.execPath,
          [...args.slice(0, 3), "30", cacheDir, "early-end"],
          { signal },
        );
        if (early.exitCode !== 0) throw new Error(`${label}: ${early.stderr.trim()}`);
        const { exitDelayMs } = JSON.parse(early.stdout) as { exitDelayMs: number };
        if (round > 0) exitDelays.get(label)?.push(exitDelayMs);
      }
    }
  } finally {
    busy?.kill();
    await rm(cacheDir, { recursive: true, force: true });
  }
  const report = Object.fromEntries(
    [...samples].map(([label, list]) => [
      label,
      {
        identityMs: median(list.map((s) => s.identityMs)),
        cpuMs: median(list.map((s) => s.cpuMs)),
        wallMs: median(list.map((s) => s.wallMs)),
        identityMsMax: Math.round(Math.max(...list.map((s) => s.identityMs))),
        earlyEndExitDelayMs: median(exitDelays.get(label) ?? []),
        earlyEndExitDelayMsMax: Math.round(Math.max(...(exitDelays.get(label) ?? []))),
      },
    ]),
  );
  console.log(JSON.stringify({ runs, busyCore: busy !== undefined, medians: report }, null, 2));
});
