/** The restage benchmark's figures (items 1–3) as Markdown tables: printed, and recorded. */
import type { BaselineRun } from "./baseline.js";
import type { BenchConfig } from "./bench-config.js";
import type { KeyedDownloads } from "./keyed-downloads.js";
import { markdownTable, median, seconds, shortSeconds, timing } from "./markdown-table.js";
import type { RestageFigures } from "./restage-suite.js";
import type { RestagerRun } from "./run-restager.js";

export const restageGoals = { coldRatio: 1.0, warmRatio: 0.3, rssMb: 150, floorRatio: 1.5 };

/**
 * Issue 14 item 1: the floor of a restage, measured by the baseline script in the same rounds
 * (baseline.sh, FLOOR=1), medians: the builder alone `docker exec`ed in a prepared container,
 * one `docker run --rm` of the stack, and every download fetched in parallel by curl. A warm
 * restage's floor is exec + run, a cold one's adds the downloads.
 */
export interface RestageFloorFigures {
  execMs: number;
  runMs: number;
  curlMs: number;
  warmMs: number;
  coldMs: number;
}

export function restageFloor(figures: RestageFigures): RestageFloorFigures | undefined {
  const floors = figures.baseline.flatMap((run) => (run.floor ? [run.floor] : []));
  if (floors.length === 0) return undefined;
  const execMs = median(floors.map((floor) => floor.execMs));
  const runMs = median(floors.map((floor) => floor.runMs));
  const curlMs = median(floors.map((floor) => floor.curlMs));
  return { execMs, runMs, curlMs, warmMs: execMs + runMs, coldMs: execMs + runMs + curlMs };
}

export const wall = (runs: readonly { wallMs: number }[]): number[] =>
  runs.map((run) => run.wallMs);
export const baselineWall = (runs: readonly BaselineRun[]): number[] => wall(runs);

/** restager's own image build times (`restage --json` → image.build_ms). */
export const imageBuild = (runs: readonly RestagerRun[]): number[] =>
  runs.flatMap((run) => run.report.image?.build_ms ?? []);

export function figuresTable(figures: RestageFigures, config: BenchConfig): string {
  const { big } = figures;
  const baseline = median(baselineWall(figures.baseline));
  const cold = median(wall(figures.cold));
  const warm = median(wall(figures.warm));
  const noImage = median(wall(figures.coldNoImage)) / median(baselineWall(figures.baselineNoImage));
  const keyed = sumKeyed(figures.warmKeyed);
  const rssMb = big.peakRssBytes === undefined ? undefined : big.peakRssBytes / 1024 ** 2;
  const inputs = `${config.appMb} MB app, ${config.buildpackCount} × ${config.buildpackMb} MB buildpacks`;
  const rounds = config.rounds > 1 ? ` — median of ${config.rounds}` : "";
  const rows: string[][] = [
    ["Measure", `Value${rounds}`, "Goal", ""],
    [`Cold restage + image, restager (${inputs})`, timing(wall(figures.cold)), "", ""],
    [
      "Cold restage + image, baseline (curl, unzip, docker cp/start, curl POST, docker build)",
      timing(baselineWall(figures.baseline)),
      "",
      "",
    ],
    [
      "restager / baseline",
      ratio(cold / baseline),
      `≤ ${restageGoals.coldRatio.toFixed(1)}x`,
      verdict(cold / baseline <= restageGoals.coldRatio),
    ],
    [
      "of which the image build: restager / `docker build`",
      `${timing(imageBuild(figures.cold))} / ${timing(figures.baseline.map((run) => run.buildMs))}`,
      "",
      "",
    ],
    [
      "Cold restage --no-image: restager / baseline without docker build",
      `${timing(wall(figures.coldNoImage))} / ${timing(baselineWall(figures.baselineNoImage))} = ${ratio(noImage)}`,
      "",
      "",
    ],
    ["Warm restage + image (same request, same cache dir)", timing(wall(figures.warm)), "", ""],
    ...floorRows(figures),
    [
      "warm / cold",
      ratio(warm / cold),
      `≤ ${restageGoals.warmRatio}x`,
      verdict(warm / cold <= restageGoals.warmRatio),
    ],
    [
      "Bytes downloaded again for cached keys (warm, all rounds)",
      keyedText(keyed),
      "0",
      verdict(keyed.bytes === 0),
    ],
    [
      `Big restage --no-image (${config.bigMb} MB app → ${dropletText(big)} droplet), wall time`,
      seconds(big.wallMs),
      "",
      "",
    ],
    [
      `restager peak RSS, big restage (${big.rssMethod})`,
      rssMb === undefined ? "n/a" : `${rssMb.toFixed(0)} MB`,
      `< ${restageGoals.rssMb} MB`,
      rssMb === undefined ? "?" : verdict(rssMb < restageGoals.rssMb),
    ],
    ...imageRows(figures.bigImage),
    [
      "restager peak RSS, cold / warm restage (max)",
      `${mb(peak(figures.cold))} / ${mb(peak(figures.warm))}`,
      "",
      "",
    ],
    [
      "Files restager left in its TMPDIR",
      figures.leftovers.length === 0 ? "none" : figures.leftovers.join(", "),
      "none",
      verdict(figures.leftovers.length === 0),
    ],
  ];
  return markdownTable(rows);
}

/** restager's own phase durations (`restage --json` → durations; medians over the rounds). */
export function phasesTable(figures: RestageFigures): string {
  const runs: [string, RestagerRun[]][] = [
    ["cold", figures.cold],
    ["warm", figures.warm],
    ["cold --no-image", figures.coldNoImage],
    ["big", [figures.big]],
    ["big + image", [figures.bigImage]],
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

/** Issue 14 item 1: warm and cold restage (image included) against their floors. */
function floorRows(figures: RestageFigures): string[][] {
  const floor = restageFloor(figures);
  if (floor === undefined) return [];
  const warm = median(wall(figures.warm)) / floor.warmMs;
  const cold = median(wall(figures.cold)) / floor.coldMs;
  const goal = `≤ ${restageGoals.floorRatio.toFixed(1)}x`;
  return [
    [
      "Floor: the builder alone (`docker exec`, prepared container) + one `docker run --rm`",
      `${seconds(floor.execMs)} + ${seconds(floor.runMs)} = ${seconds(floor.warmMs)}`,
      "",
      "",
    ],
    ["Warm restage + image / floor", ratio(warm), goal, verdict(warm <= restageGoals.floorRatio)],
    [
      "Floor + every download fetched in parallel (`curl --parallel`)",
      `${seconds(floor.warmMs)} + ${seconds(floor.curlMs)} = ${seconds(floor.coldMs)}`,
      "",
      "",
    ],
    [
      "Cold restage + image / (floor + downloads)",
      ratio(cold),
      goal,
      verdict(cold <= restageGoals.floorRatio),
    ],
  ];
}

/** The sizes line of a recorded section. */
export function sizesLine(config: BenchConfig): string {
  return `- Sizes: BENCH_APP_MB=${config.appMb} BENCH_BP_MB=${config.buildpackMb} BENCH_BP_COUNT=${config.buildpackCount} BENCH_BIG_MB=${config.bigMb} BENCH_ROUNDS=${config.rounds}; image ${config.image}`;
}

/** The big restage with restager's default image build: time, image build time, peak RSS. */
function imageRows(run: RestagerRun): string[][] {
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

export function peak(runs: readonly RestagerRun[]): number {
  return Math.max(...runs.map((run) => run.peakRssBytes ?? Number.NaN));
}

export function ratio(value: number): string {
  return `${value.toFixed(2)}x`;
}

export function verdict(ok: boolean): string {
  return ok ? "met" : "MISSED";
}

export function mb(bytes: number | undefined): string {
  return bytes === undefined || Number.isNaN(bytes)
    ? "n/a"
    : `${(bytes / 1024 ** 2).toFixed(0)} MB`;
}

function dropletText(run: RestagerRun): string {
  return run.report.droplet ? mb(run.report.droplet.size) : "?";
}

export function sumKeyed(list: readonly KeyedDownloads[]): KeyedDownloads {
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
