/**
 * The one-table summary of `npm run bench`: per issue-7 item, restager's figure, the baseline
 * measured in the same run, their ratio, the goal and whether it was met. A suite that failed
 * gives one row saying so.
 */
import type { BenchConfig } from "./bench-config.js";
import { sharedLayers, type ImageFigures } from "./image-suite.js";
import type { LaunchFigures } from "./launch-suite.js";
import { markdownTable, median } from "./markdown-table.js";
import {
  baselineWall,
  imageBuild,
  mb,
  ratio,
  restageFloor,
  restageGoals,
  sumKeyed,
  verdict,
  wall,
} from "./report.js";
import type { RestageFigures } from "./restage-suite.js";
import { longLineRows, modeNames, scrapeRatio, throughput } from "./scrape-report.js";
import { scrapeGoals, type ScrapeResults } from "./scrape-suite.js";
import type { StartupFigures } from "./startup-suite.js";

/** A suite's figures, or why there are none. */
export type Outcome<T> = { ok: true; figures: T } | { ok: false; error: string };

export interface AllOutcomes {
  restage: Outcome<RestageFigures>;
  image: Outcome<ImageFigures>;
  launch: Outcome<LaunchFigures>;
  scrape: Outcome<ScrapeResults>;
  startup: Outcome<StartupFigures>;
}

type Row = [string, string, string, string, string, string];

const header: Row = ["Item", "restager", "baseline (same run)", "ratio", "goal", ""];

export function summaryTable(all: AllOutcomes, config: BenchConfig): string {
  return markdownTable([
    header,
    ...rowsOf(all.restage, "1–3. restage", (f) => restageRows(f, config)),
    ...rowsOf(all.image, "4. image build", imageRows),
    ...throughputRows(all),
    ...rowsOf(all.launch, "5. launch", launchRows),
    ...rowsOf(all.scrape, "6. scraper", scrapeRows),
    ...rowsOf(all.startup, "start-up", startupRows),
  ]);
}

function rowsOf<T>(outcome: Outcome<T>, item: string, rows: (figures: T) => Row[]): Row[] {
  if (outcome.ok) return rows(outcome.figures);
  return [[item, `failed: ${outcome.error.split("\n")[0]!.slice(0, 120)}`, "", "", "", "ERROR"]];
}

function restageRows(f: RestageFigures, config: BenchConfig): Row[] {
  const [cold, warm] = [median(wall(f.cold)), median(wall(f.warm))];
  const baseline = median(baselineWall(f.baseline));
  const [noImage, noImageBaseline] = [wall(f.coldNoImage), baselineWall(f.baselineNoImage)];
  const [coldKeyed, warmKeyed] = [sumKeyed(f.coldKeyed), sumKeyed(f.warmKeyed)];
  const rss = f.big.peakRssBytes;
  const droplet = f.big.report.droplet?.size;
  const inputs = `${config.appMb} MB app, ${config.buildpackCount} × ${config.buildpackMb} MB buildpacks`;
  return [
    [
      `1. restage cold + image (${inputs})`,
      s(cold),
      `${s(baseline)} (curl, unzip, docker, curl, docker build)`,
      ratio(cold / baseline),
      `≤ ${restageGoals.coldRatio.toFixed(1)}x`,
      verdict(cold / baseline <= restageGoals.coldRatio),
    ],
    [
      "1. restage cold, --no-image",
      s(median(noImage)),
      `${s(median(noImageBaseline))} (the same, no docker build)`,
      ratio(median(noImage) / median(noImageBaseline)),
      "",
      "",
    ],
    ...floorRows(f, cold, warm),
    [
      "2. restage warm (same request)",
      s(warm),
      `${s(cold)} (restager cold)`,
      ratio(warm / cold),
      `≤ ${restageGoals.warmRatio}x`,
      verdict(warm / cold <= restageGoals.warmRatio),
    ],
    [
      "2. bytes downloaded again, warm (all rounds)",
      `${warmKeyed.bytes === 0 ? "0 B" : mb(warmKeyed.bytes)} (${warmKeyed.notModified} × 304)`,
      `${mb(coldKeyed.bytes)} (cold, all rounds)`,

      ratio(warmKeyed.bytes / coldKeyed.bytes),
      "0 bytes",
      verdict(warmKeyed.bytes === 0),
    ],
    [
      `3. peak RSS, ${config.bigMb} MB app → droplet (--no-image)`,
      mb(rss),
      `${mb(droplet)} (droplet size)`,
      rss === undefined || droplet === undefined ? "?" : ratio(rss / droplet),
      `< ${restageGoals.rssMb} MB`,
      rss === undefined ? "?" : verdict(rss / 1024 ** 2 < restageGoals.rssMb),
    ],
    [
      "4. image build in the cold restage",
      s(median(imageBuild(f.cold))),
      `${s(median(f.baseline.map((run) => run.buildMs)))} (docker build)`,
      ratio(median(imageBuild(f.cold)) / median(f.baseline.map((run) => run.buildMs))),
      "",
      "",
    ],
  ];
}

/** Issue 14 item 1: the restage against its floor (report.ts, restageFloor). */
function floorRows(f: RestageFigures, cold: number, warm: number): Row[] {
  const floor = restageFloor(f);
  if (floor === undefined) return [];
  const goal = restageGoals.floorRatio;
  return [
    [
      "1. restage warm + image vs its floor",
      s(warm),
      `${s(floor.warmMs)} (builder exec ${s(floor.execMs)} + docker run --rm ${s(floor.runMs)})`,
      ratio(warm / floor.warmMs),
      `≤ ${goal.toFixed(1)}x`,
      verdict(warm / floor.warmMs <= goal),
    ],
    [
      "1. restage cold + image vs its floor",
      s(cold),
      `${s(floor.coldMs)} (the above + parallel curl ${s(floor.curlMs)})`,
      ratio(cold / floor.coldMs),
      `≤ ${goal.toFixed(1)}x`,
      verdict(cold / floor.coldMs <= goal),
    ],
  ];
}

function imageRows(f: ImageFigures): Row[] {
  const row = f.rows[f.rows.length - 1];
  if (row === undefined) return [];
  const { first, second, again } = row;
  const added = first.built.sizeBytes - f.stackBytes;
  const layers = second.built.diffIds.length;
  return [
    [
      `4. image build, ${row.dropletMb} MB droplet`,
      `${s(first.ms)}, +${mb(added)} over the stack`,
      `${mb(first.built.dropletLayerBytes)} (droplet layer)`,
      ratio(added / first.built.dropletLayerBytes),
      "",
      "",
    ],
    [
      "4. rebuild, new droplet, same stack + lifecycle",
      `${s(second.ms)}, ${sharedLayers(row)} of ${layers} layers reused`,
      `${s(row.importMs)} (docker import of the droplet layer)`,
      ratio(second.ms / row.importMs),
      `≤ ${imageGoals.rebuildRatio}x, lower layers reused`,
      verdict(
        second.ms / row.importMs <= imageGoals.rebuildRatio && sharedLayers(row) === layers - 1,
      ),
    ],
    [
      "4. same droplet again (tagged, nothing loaded)",
      `${again.ms.toFixed(0)} ms${again.built.reused ? "" : ", LOADED"}`,
      "",
      "",
      `≤ ${imageGoals.againMs} ms`,
      verdict(again.built.reused && again.ms <= imageGoals.againMs),
    ],
  ];
}

/** Issue 14's goals for image builds. */
const imageGoals = { rebuildRatio: 1.2, againMs: 50 };

/**
 * Issue 14 goal 5: the big droplet built by the CLI against the same bytes moved by the kernel
 * and the engine alone (`tar -czf` of its contents, `docker import` of its layer), same run;
 * and the big restage + image (restage suite, same BENCH_BIG_MB) against the same floor.
 */
function throughputRows(all: AllOutcomes): Row[] {
  const t = all.image.ok ? all.image.figures.throughput : undefined;
  if (t === undefined) return [];
  const floor = t.tarMs + t.importMs;
  const floorText = `${s(floor)} (tar -czf ${s(t.tarMs)} + docker import ${s(t.importMs)})`;
  const rss = t.peakRssBytes;
  const rows: Row[] = [
    [
      `5. restager image, new ${t.dropletMb} MB droplet (cold process)`,
      s(t.imageMs),
      `${s(t.importMs)} (docker import of its layer)`,
      ratio(t.imageMs / t.importMs),
      `≤ ${throughputGoals.ratio}x`,
      verdict(t.imageMs / t.importMs <= throughputGoals.ratio),
    ],
    [
      `5. droplet made + image: tar -czf + restager image`,
      s(t.tarMs + t.imageMs),
      floorText,
      ratio((t.tarMs + t.imageMs) / floor),
      `≤ ${throughputGoals.ratio}x`,
      verdict((t.tarMs + t.imageMs) / floor <= throughputGoals.ratio),
    ],
    [
      `5. peak RSS, restager image of the ${t.dropletMb} MB droplet`,
      mb(rss),
      `${mb(t.dropletFileBytes)} (droplet .tgz)`,
      rss === undefined ? "?" : ratio(rss / t.dropletFileBytes),
      `< ${throughputGoals.rssMb} MB`,
      rss === undefined ? "?" : verdict(rss / 1024 ** 2 < throughputGoals.rssMb),
    ],
  ];
  const big = all.restage.ok ? all.restage.figures.bigImage : undefined;
  if (big !== undefined) {
    rows.push([
      `5. restage + image, ${t.dropletMb} MB app → droplet`,
      s(big.wallMs),
      floorText,
      ratio(big.wallMs / floor),
      `≤ ${throughputGoals.ratio}x`,
      verdict(big.wallMs / floor <= throughputGoals.ratio),
    ]);
  }
  return rows;
}

const throughputGoals = { ratio: 1.2, rssMb: 150 };

function launchRows(f: LaunchFigures): Row[] {
  return [
    [
      "5. launch → first HTTP 200",
      s(f.launchToFirstAnswerMs),
      `${s(f.appStartMs)} (app's own start)`,
      ratio(f.launchToFirstAnswerMs / f.appStartMs),
      "overhead < 1 s",
      `${verdict(f.overheadMs < 1000)} (${s(f.overheadMs)})`,
    ],
  ];
}

function scrapeRows(f: ScrapeResults): Row[] {
  // Issue 14: the latest request ≤ 0.5x of grep | tail | jq; --app, --all, --list ≤ 1.0x.
  const rows = f.sizes.flatMap((size) =>
    size.cases.map((one): Row => [
      `6. scraper, ${modeNames[one.mode]}, ${mb(size.log.bytes)} log, load ${size.log.load.toFixed(1)}`,
      throughput(wall(one.restager), size.log),
      throughput(wall(one.pipeline), size.log),
      ratio(scrapeRatio(one)),
      `≤ ${scrapeGoals[one.mode].toFixed(1)}x`,
      verdict(scrapeRatio(one) <= scrapeGoals[one.mode]),
    ]),
  );
  return [
    ...rows,
    ...longLineRows(f).map((row) => [`6. scraper, ${row[0]}`, ...row.slice(1)] as Row),
  ];
}

/** Issue 14's start-up goals (cold Node process), against Node's own start in the same run. */
function startupRows(f: StartupFigures): Row[] {
  const node = f.medianMs.node;
  const row = (what: string, ms: number, goalMs: number): Row => [
    `start-up: ${what} (median of ${f.runs})`,
    s(ms),
    `${s(node)} (node -e 0)`,
    ratio(ms / node),
    `≤ ${s(goalMs)}`,
    verdict(ms <= goalMs),
  ];
  return [
    row("restager --version", f.medianMs.version, 150),
    row("restager --help", f.medianMs.help, 150),
    row("build-req, 30 KB log", f.medianMs.buildReq, 200),
  ];
}

/** Seconds with two decimals (the summary compares sub-second figures too). */
function s(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
