/**
 * The section `npm run bench` prints and appends to bench/results.md: machine, sizes, the
 * summary table, then each benchmark's detail tables.
 */
import type { BenchConfig } from "./bench-config.js";
import { imageNote, imageTable } from "./image-report.js";
import type { LaunchFigures } from "./launch-suite.js";
import { machineLines, type Machine } from "./machine.js";
import { markdownTable } from "./markdown-table.js";
import { figuresTable, phasesTable, sizesLine } from "./report.js";
import { sectionHeading } from "./results-file.js";
import { scrapeLogLine, scrapeTable } from "./scrape-report.js";
import { summaryTable, type AllOutcomes, type Outcome } from "./summary.js";

export interface AllRun {
  config: BenchConfig;
  machine: Machine;
  startedAt: Date;
  /** Wall time of the whole run and the 1-minute load average when each suite started. */
  totalMs: number;
  loads: Record<keyof AllOutcomes, number>;
  outcomes: AllOutcomes;
}

/** The summary and the details, without the heading and machine lines. */
export function allTables(run: AllRun): string[] {
  const { outcomes, config } = run;
  return [
    summaryTable(outcomes, config),
    "",
    ...detail("Restage (items 1–3)", outcomes.restage, (f) => [
      figuresTable(f, config),
      "",
      phasesTable(f),
    ]),
    ...detail("Image build (item 4)", outcomes.image, (f) => [imageTable(f), "", imageNote(f)]),
    ...detail("Launch (item 5)", outcomes.launch, (f) => [launchTable(f)]),
    ...detail("Scraper (item 6)", outcomes.scrape, (f) => [scrapeTable(f), "", scrapeLogLine(f)]),
  ];
}

export function allSection(run: AllRun): string[] {
  const { config, loads } = run;
  const load = Object.entries(loads)
    .map(([suite, value]) => `${suite} ${value.toFixed(2)}`)
    .join(", ");
  return [
    sectionHeading(run.startedAt, ` — npm run bench${config.quick ? " -- --quick" : ""}`),
    "",
    ...machineLines(run.machine),
    `- Load average (1 min) when each benchmark started: ${load}`,
    sizesLine(config),
    `- Image droplets BENCH_IMAGE_MB=${config.imageMb.join(",")}; launch runs BENCH_LAUNCH_RUNS=${config.launchRuns}; scraper logs BENCH_LOG_MB=${config.logMb.join(",")} with BENCH_LOG_REQUESTS=${config.logRequests}`,
    `- Whole run: ${(run.totalMs / 60_000).toFixed(1)} min`,
    "",
    ...allTables(run),
  ];
}

function detail<T>(title: string, outcome: Outcome<T>, tables: (figures: T) => string[]) {
  const body = outcome.ok ? tables(outcome.figures) : [`Failed: ${outcome.error}`];
  return [`### ${title}`, "", ...body, ""];
}

function launchTable(f: LaunchFigures): string {
  const ms = (value: number): string => `${value} ms`;
  return markdownTable([
    [`Launch (hello-shell), median of ${f.runs}`, "Value", "Samples (ms)"],
    ["App's own start (plain container → first 200)", ms(f.appStartMs), f.samples.app.join(", ")],
    [
      "`restager launch` spawned → first 200",
      ms(f.launchToFirstAnswerMs),
      f.samples.answer.join(", "),
    ],
    ["Overhead (goal < 1 s)", ms(f.overheadMs), ""],
    [
      "`restager launch` returned (after the health check)",
      ms(f.launchReturnedMs),
      f.samples.returned.join(", "),
    ],
    ["Health gate (returned − first 200)", ms(f.healthGateMs), ""],
    ["Returned − app's own start (goal ≤ 500 ms)", ms(f.returnedAfterAppStartMs), ""],
  ]);
}
