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
  /** Rounds of baseline/cold/warm restage and of the scraper runs; the tables show medians. */
  rounds: number;
  image: string;
  /** Droplet sizes of the image benchmark (MB of random bytes). */
  imageMb: number[];
  /** Alternating baseline/launch runs of the launch benchmark. */
  launchRuns: number;
  /** Sizes of the scraper benchmark's log files (one run each), and the staging requests in each. */
  logMb: number[];
  logRequests: number;
  /** Copy restager's and the baseline's stderr to ours. */
  verbose: boolean;
  /** Append the results to bench/results.md. */
  record: boolean;
}

const usage = `usage: vite-node bench/<run-all|restage-bench|image-bench|launch-bench|scrape-bench>.ts
         [--quick] [--no-record] [--verbose]

  --quick      small sizes, one round: a smoke run
  --no-record  do not append the results to bench/results.md
  --verbose    show restager's and the baseline's output

Sizes from the environment (full / --quick):
  BENCH_APP_MB (50 / 2), BENCH_BP_MB (20 / 1), BENCH_BP_COUNT (9 / 9), BENCH_BIG_MB (500 / 20),
  BENCH_ROUNDS (3 / 1), BENCH_IMAGE_MB (1,10,50,200 / 1,10), BENCH_LAUNCH_RUNS (5 / 2; also RUNS),
  BENCH_LOG_MB (512,1024 / 64), BENCH_LOG_REQUESTS (50 / 20);
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
    imageMb: sizesFrom(env, "BENCH_IMAGE_MB", quick ? [1, 10] : [1, 10, 50, 200]),
    launchRuns: Math.max(
      1,
      sizeFrom(env, "BENCH_LAUNCH_RUNS", sizeFrom(env, "RUNS", quick ? 2 : 5)),
    ),
    logMb: sizesFrom(env, "BENCH_LOG_MB", quick ? [64] : [512, 1024]),
    logRequests: Math.max(2, sizeFrom(env, "BENCH_LOG_REQUESTS", quick ? 20 : 50)),
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

function sizesFrom(env: NodeJS.ProcessEnv, name: string, fallback: number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const values = raw.split(",").map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < 1 || value > 2000)) {
    throw new Error(
      `${name} must list whole numbers between 1 and 2000 (e.g. 1,10,50), got ${raw}`,
    );
  }
  return values;
}
