/** The scraper benchmark's figures as Markdown tables (medians over the rounds). */
import { MB } from "./bench-blobs.js";
import { markdownTable, median } from "./markdown-table.js";
import type { ScrapeMode } from "./scrape-contenders.js";
import {
  longLineGoalMb,
  scrapeGoals,
  type ScrapeCase,
  type ScrapeResults,
  type ScrapeSize,
} from "./scrape-suite.js";

export const modeNames: Record<ScrapeMode, string> = {
  latest: "latest request (`--log F`)",
  app: "one app (`--app reporting-batch`)",
  all: "every request (`--all`)",
  list: "list (`--list`)",
};

export function scrapeTable(results: ScrapeResults): string {
  const rows = [
    ["Scraper", "restager build-req", "pipeline (same run)", "ratio (time)", "goal", ""],
    ...results.sizes.flatMap((size) =>
      size.cases.map((one) => [
        `${modeNames[one.mode]}, ${(size.log.bytes / MB).toFixed(0)} MB log (load ${size.log.load.toFixed(1)})`,
        throughput(
          one.restager.map((run) => run.wallMs),
          size.log,
        ),
        throughput(
          one.pipeline.map((run) => run.wallMs),
          size.log,
        ),
        `${scrapeRatio(one).toFixed(2)}x`,
        `≤ ${scrapeGoals[one.mode].toFixed(1)}x`,
        scrapeRatio(one) <= scrapeGoals[one.mode] ? "met" : "missed",
      ]),
    ),
    ["restager peak RSS (max of all runs above)", mbOf(scrapePeakRss(results)), "", "", "", ""],
    ...longLineRows(results),
  ];
  return markdownTable(rows);
}

/** Peak RSS reading past the 20 MB line, latest and --all, against the goal. */
export function longLineRows(results: ScrapeResults): string[][] {
  const { longLine } = results;
  const what = `${(longLine.lineBytes / MB).toFixed(0)} MB line in a ${(longLine.logBytes / MB).toFixed(0)} MB log`;
  return (["latest", "all"] as const).map((mode) => {
    const rss = longLine[mode].peakRssBytes ?? Number.NaN;
    return [
      `peak RSS, ${mode === "latest" ? "latest request" : "`--all`"}, ${what}`,
      mbOf(rss),
      "",
      "",
      `< ${longLineGoalMb} MB`,
      rss / MB < longLineGoalMb ? "met" : "missed",
    ];
  });
}

/** One line per log describing it. */
export function scrapeLogLine(results: ScrapeResults): string {
  return results.sizes
    .map(({ log }) => {
      return (
        `Log: ${(log.bytes / MB).toFixed(0)} MB, ${log.lines.toLocaleString("en-US")} lines, ` +
        `${log.requests} staging-task-request lines of ${kb(log.smallestRequest)}–${kb(log.largestRequest)} ` +
        `(written in ${(log.writeMs / 1000).toFixed(1)} s, read from the page cache, load average ` +
        `${log.load.toFixed(2)} when its rounds started); both contenders found the log's answer in every run.`
      );
    })
    .join("\n");
}

/** Median wall time of restager over that of the pipeline. */
export function scrapeRatio(one: ScrapeCase): number {
  return (
    median(one.restager.map((run) => run.wallMs)) / median(one.pipeline.map((run) => run.wallMs))
  );
}

export function scrapePeakRss(results: ScrapeResults): number {
  const all = results.sizes.flatMap((size) => size.cases.flatMap((one) => one.restager));
  return Math.max(...all.map((run) => run.peakRssBytes ?? Number.NaN));
}

/** `3.1 s — 1.0 M lines/s, 330 MB/s` for the median wall time. */
export function throughput(wallMs: readonly number[], log: ScrapeSize["log"]): string {
  const ms = median(wallMs);
  const lines = (log.lines / ms) * 1000;
  const mbps = (log.bytes / MB / ms) * 1000;
  const lineRate = lines >= 1e6 ? `${(lines / 1e6).toFixed(2)} M` : `${(lines / 1e3).toFixed(0)} k`;
  return `${(ms / 1000).toFixed(2)} s — ${lineRate} lines/s, ${mbps.toFixed(0)} MB/s`;
}

function mbOf(bytes: number): string {
  return `${(bytes / MB).toFixed(0)} MB`;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}
