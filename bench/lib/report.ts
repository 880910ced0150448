/** The benchmark's figures as Markdown tables: printed, and appended to bench/results.md. */
import { appendFile, readFile, writeFile } from "node:fs/promises";
import type { BenchConfig } from "./bench-config.js";
import type { KeyedDownloads } from "./keyed-downloads.js";
import { machineLines, type Machine } from "./machine.js";
import { markdownTable, median, seconds, shortSeconds, timing } from "./markdown-table.js";
import type { RestagerRun } from "./run-restager.js";

export interface BenchResults {
  config: BenchConfig;
  machine: Machine;
  startedAt: Date;
  /** One entry per round. */
  baselineMs: number[];
  cold: RestagerRun[];
  warm: RestagerRun[];
  warmKeyed: KeyedDownloads[];
  big: RestagerRun;
  /** The big restage again, building restager's image after staging (when the CLI can). */
  bigImage?: RestagerRun | undefined;
  /** Names restager left in its TMPDIR. */
  leftovers: string[];
}

const goals = { coldRatio: 1.0, warmRatio: 0.3, rssMb: 150 };

export function figuresTable(results: BenchResults): string {
  const { big, config } = results;
  const baseline = median(results.baselineMs);
  const cold = median(results.cold.map((run) => run.wallMs));
  const warm = median(results.warm.map((run) => run.wallMs));
  const keyed = sumKeyed(results.warmKeyed);
  const rssMb = big.peakRssBytes === undefined ? undefined : big.peakRssBytes / 1024 ** 2;
  const inputs = `${config.appMb} MB app, ${config.buildpackCount} × ${config.buildpackMb} MB buildpacks`;
  const rounds = config.rounds > 1 ? ` — median of ${config.rounds}` : "";
  const peak = (runs: RestagerRun[]): number | undefined =>
    Math.max(...runs.map((run) => run.peakRssBytes ?? Number.NaN));
  const rows: string[][] = [
    ["Measure", `Value${rounds}`, "Goal", ""],
    [`Cold restage, restager (${inputs})`, timing(results.cold.map((run) => run.wallMs)), "", ""],
    [
      "Cold restage, baseline (curl, unzip, docker cp, curl POST)",
      timing(results.baselineMs),
      "",
      "",
    ],
    [
      "restager / baseline",
      ratio(cold / baseline),
      `≤ ${goals.coldRatio.toFixed(1)}x`,
      verdict(cold / baseline <= goals.coldRatio),
    ],
    [
      "Warm restage (same request, same cache dir)",
      timing(results.warm.map((run) => run.wallMs)),
      "",
      "",
    ],
    [
      "warm / cold",
      ratio(warm / cold),
      `≤ ${goals.warmRatio}x`,
      verdict(warm / cold <= goals.warmRatio),
    ],
    [
      "Bytes downloaded again for cached keys (warm, all rounds)",
      keyedText(keyed),
      "0",
      verdict(keyed.bytes === 0),
    ],
    [
      `Big restage (${config.bigMb} MB app → ${dropletText(big)} droplet), wall time`,
      seconds(big.wallMs),
      "",
      "",
    ],
    [
      `restager peak RSS, big restage (${big.rssMethod})`,
      rssMb === undefined ? "n/a" : `${rssMb.toFixed(0)} MB`,
      `< ${goals.rssMb} MB`,
      rssMb === undefined ? "?" : verdict(rssMb < goals.rssMb),
    ],
    ...imageRows(results.bigImage),
    [
      "restager peak RSS, cold / warm restage (max)",
      `${mb(peak(results.cold))} / ${mb(peak(results.warm))}`,
      "",
      "",
    ],
    [
      "Files restager left in its TMPDIR",
      results.leftovers.length === 0 ? "none" : results.leftovers.join(", "),
      "none",
      verdict(results.leftovers.length === 0),
    ],
  ];
  return markdownTable(rows);
}

/** restager's own phase durations (`restage --json` → durations; medians over the rounds). */
export function phasesTable(results: BenchResults): string {
  const runs: [string, RestagerRun[]][] = [
    ["cold", results.cold],
    ["warm", results.warm],
    ["big", [results.big]],
    ...(results.bigImage ? [["big + image", [results.bigImage]] as [string, RestagerRun[]]] : []),
  ];
  const phases = [
    ...new Set(
      runs.flatMap(([, list]) => list.flatMap((run) => Object.keys(run.report.durations))),
    ),
  ];
  const rows = [["restager phase", ...runs.map(([name]) => name)]];
  for (const phase of phases) {
    rows.push([
      phase,
      ...runs.map(([, list]) => {
        const values = list.flatMap((run) => run.report.durations[phase] ?? []);
        return values.length === 0 ? "" : shortSeconds(median(values));
      }),
    ]);
  }
  return markdownTable(rows);
}

/** Appends a dated section (machine, sizes, both tables) to `path`, creating it with a title. */
export async function appendResults(path: string, results: BenchResults): Promise<void> {
  const existing = await readFile(path, "utf8").catch(() => undefined);
  if (existing === undefined) {
    const intro = "Appended by `npm run bench` (bench/restage-bench.ts), newest last.\n";
    await writeFile(path, `# restager benchmark results\n\n${intro}`);
  }
  const { config } = results;
  const section = [
    "",
    `## ${results.startedAt.toISOString().replace(/\.\d+Z$/, "Z")}${config.quick ? " (--quick)" : ""}`,
    "",
    ...machineLines(results.machine),
    `- Sizes: BENCH_APP_MB=${config.appMb} BENCH_BP_MB=${config.buildpackMb} BENCH_BP_COUNT=${config.buildpackCount} BENCH_BIG_MB=${config.bigMb} BENCH_ROUNDS=${config.rounds}; image ${config.image}`,
    "",
    figuresTable(results),
    "",
    phasesTable(results),
    "",
  ];
  await appendFile(path, section.join("\n"));
}

/** The big restage with restager's default image build: time, image build time, peak RSS. */
function imageRows(run: RestagerRun | undefined): string[][] {
  if (run === undefined) return [];
  const image = run.report.image;
  const built = image ? `image build ${seconds(image.build_ms)}, ${mb(image.size)}` : "no image";
  return [
    [
      "Big restage + image (restager's default), wall time",
      `${seconds(run.wallMs)} (${built})`,
      "",
      "",
    ],
    ["restager peak RSS, big restage + image", mb(run.peakRssBytes), "", ""],
  ];
}

function ratio(value: number): string {
  return `${value.toFixed(2)}x`;
}

function verdict(ok: boolean): string {
  return ok ? "met" : "MISSED";
}

function mb(bytes: number | undefined): string {
  return bytes === undefined || Number.isNaN(bytes)
    ? "n/a"
    : `${(bytes / 1024 ** 2).toFixed(0)} MB`;
}

function dropletText(run: RestagerRun): string {
  return run.report.droplet ? mb(run.report.droplet.size) : "?";
}

function sumKeyed(list: readonly KeyedDownloads[]): KeyedDownloads {
  const total: KeyedDownloads = { requests: 0, fullResponses: 0, notModified: 0, bytes: 0 };
  for (const keyed of list) {
    total.requests += keyed.requests;
    total.fullResponses += keyed.fullResponses;
    total.notModified += keyed.notModified;
    total.bytes += keyed.bytes;
  }
  return total;
}

function keyedText(keyed: KeyedDownloads): string {
  const detail = `${keyed.fullResponses} × 200, ${keyed.notModified} × 304 of ${keyed.requests} GETs`;
  return `${keyed.bytes} B (${detail})`;
}
