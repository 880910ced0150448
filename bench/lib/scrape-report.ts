/** The scraper benchmark's figures as a Markdown table (medians over the rounds). */
import { MB } from "./bench-blobs.js";
import { markdownTable, median } from "./markdown-table.js";
import type { ScrapeCase, ScrapeResults } from "./scrape-suite.js";

export function scrapeTable(results: ScrapeResults): string {
  const { log } = results;
  const rows = [
    ["Scraper", "restager build-req", "grep \\| tail \\| jq", "restager ÷ pipeline (time)"],
    ...[results.latest, results.byApp].map((one) => [
      one.app === undefined ? "latest request (`--log F`)" : `one app (\`--app ${one.app}\`)`,
      throughput(
        one.restager.map((run) => run.wallMs),
        log,
      ),
      throughput(
        one.pipeline.map((run) => run.wallMs),
        log,
      ),
      `${scrapeRatio(one).toFixed(2)}x`,
    ]),
    [
      "restager peak RSS (max of all runs)",
      `${(scrapePeakRss(results) / MB).toFixed(0)} MB`,
      "",
      "",
    ],
  ];
  return markdownTable(rows);
}

/** One line describing the generated log. */
export function scrapeLogLine(results: ScrapeResults): string {
  const { log } = results;
  return (
    `Log: ${(log.bytes / MB).toFixed(0)} MB, ${log.lines.toLocaleString("en-US")} lines, ` +
    `${log.requests} staging-task-request lines of ${kb(log.smallestRequest)}–${kb(log.largestRequest)} ` +
    `(written in ${(log.writeMs / 1000).toFixed(1)} s, read from the page cache); both contenders ` +
    `found the same request in every run.`
  );
}

/** Median wall time of restager over that of the pipeline. */
export function scrapeRatio(one: ScrapeCase): number {
  return (
    median(one.restager.map((run) => run.wallMs)) / median(one.pipeline.map((run) => run.wallMs))
  );
}

export function scrapePeakRss(results: ScrapeResults): number {
  const all = [...results.latest.restager, ...results.byApp.restager];
  return Math.max(...all.map((run) => run.peakRssBytes ?? Number.NaN));
}

/** `3.1 s — 1.0 M lines/s, 330 MB/s` for the median wall time. */
export function throughput(wallMs: readonly number[], log: ScrapeResults["log"]): string {
  const ms = median(wallMs);
  const lines = (log.lines / ms) * 1000;
  const mbps = (log.bytes / MB / ms) * 1000;
  const lineRate = lines >= 1e6 ? `${(lines / 1e6).toFixed(2)} M` : `${(lines / 1e3).toFixed(0)} k`;
  return `${(ms / 1000).toFixed(2)} s — ${lineRate} lines/s, ${mbps.toFixed(0)} MB/s`;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}
