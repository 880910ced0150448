/** Sizes and switches of a benchmark run, from the command line and BENCH_* variables. */

export interface BenchConfig {
  quick: boolean;
  /** App package of the cold/warm scenario (MB of random bytes). */
  appMb: number;
  /** Padding of each buildpack (MB of random bytes). */
  buildpackMb: number;
  /** Buildpacks in the cold/warm scenario: all fail detect but the last one. */
  buildpackCount: number;
  /** App package of the peak-RSS scenario, staged into a droplet of about the same size. */
  bigMb: number;
  /** Rounds of baseline, cold and warm restage; the tables show medians. */
  rounds: number;
  image: string;
  /** Copy restager's and the baseline's stderr to ours. */
  verbose: boolean;
  /** Append the results to bench/results.md. */
  record: boolean;
}

const usage = `usage: vite-node bench/restage-bench.ts [--quick] [--no-record] [--verbose]

  --quick      small sizes (app 2 MB, buildpacks 1 MB, big app 20 MB): a smoke run
  --no-record  do not append the results to bench/results.md
  --verbose    show restager's and the baseline's output

Sizes (MB) from the environment: BENCH_APP_MB (50), BENCH_BP_MB (20), BENCH_BP_COUNT (9),
BENCH_BIG_MB (500); rounds of baseline/cold/warm from BENCH_ROUNDS (3; 1 with --quick);
the stack image from BENCH_IMAGE (restager/stack:bookworm).`;

export function benchConfig(argv: readonly string[], env: NodeJS.ProcessEnv): BenchConfig {
  const known = new Set(["--quick", "--no-record", "--verbose", "--help", "-h"]);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (unknown.length > 0 || argv.includes("--help") || argv.includes("-h")) {
    console.error(unknown.length > 0 ? `unknown argument: ${unknown.join(" ")}\n${usage}` : usage);
    process.exit(unknown.length > 0 ? 2 : 0);
  }
  const quick = argv.includes("--quick");
  return {
    quick,
    appMb: sizeFrom(env, "BENCH_APP_MB", quick ? 2 : 50),
    buildpackMb: sizeFrom(env, "BENCH_BP_MB", quick ? 1 : 20),
    buildpackCount: Math.max(1, sizeFrom(env, "BENCH_BP_COUNT", 9)),
    bigMb: sizeFrom(env, "BENCH_BIG_MB", quick ? 20 : 500),
    rounds: Math.max(1, sizeFrom(env, "BENCH_ROUNDS", quick ? 1 : 3)),
    image: env.BENCH_IMAGE || "restager/stack:bookworm",
    verbose: argv.includes("--verbose") || env.BENCH_VERBOSE === "1",
    record: !argv.includes("--no-record"),
  };
}

function sizeFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 4000) {
    throw new Error(`${name} must be a whole number between 0 and 4000, got ${raw}`);
  }
  return value;
}
