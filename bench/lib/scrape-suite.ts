/**
 * The scraper benchmark (issue item 6): a generated lager log of BENCH_LOG_MB (1 GB) with
 * BENCH_LOG_REQUESTS (50) staging requests in it; `build-req --log` (latest request) and
 * `build-req --app NAME` against the grep | tail | jq pipeline on the same file, interleaved,
 * BENCH_ROUNDS times. Every run must find the request the generator knows to be the answer, and
 * both contenders the same JSON, or the suite fails. The log is deleted at the end.
 */
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { BenchConfig } from "./bench-config.js";
import { MB } from "./bench-blobs.js";
import { progress } from "./progress.js";
import {
  buildReq,
  pipeline,
  stagingGuidOf,
  type ExtractOptions,
  type Extraction,
} from "./scrape-contenders.js";
import { writeScrapeLog, type ScrapeLog } from "./scrape-log.js";

export const scrapeApps = [
  "billing-api",
  "storefront-web",
  "orders-worker",
  "inventory-svc",
  "notifications",
  "reporting-batch",
] as const;

export interface ScrapeCase {
  /** The app asked for (`--app`), or undefined for the latest request of all. */
  app: string | undefined;
  restager: Extraction[];
  pipeline: Extraction[];
}

export interface ScrapeResults {
  log: Omit<ScrapeLog, "path" | "requests"> & {
    requests: number;
    smallestRequest: number;
    largestRequest: number;
    writeMs: number;
  };
  latest: ScrapeCase;
  byApp: ScrapeCase;
}

export async function runScrapeSuite(
  config: BenchConfig,
  signal: AbortSignal,
): Promise<ScrapeResults> {
  const dir = await mkdtemp(join(tmpdir(), "restager-scrape-bench-"));
  try {
    const logPath = join(dir, "stager.stdout.log");
    progress(`writing a ${config.logMb} MB log with ${config.logRequests} staging requests`);
    const started = performance.now();
    const apps = [...scrapeApps];
    const log = await writeScrapeLog(logPath, {
      sizeMb: config.logMb,
      requests: config.logRequests,
      apps,
      signal,
    });
    const writeMs = performance.now() - started;
    await readThrough(logPath);
    const target = apps[apps.length - 1]!;
    const latest: ScrapeCase = { app: undefined, restager: [], pipeline: [] };
    const byApp: ScrapeCase = { app: target, restager: [], pipeline: [] };
    for (let round = 1; round <= config.rounds; round++) {
      for (const one of [latest, byApp]) {
        const what = one.app === undefined ? "latest request" : `--app ${one.app}`;
        progress(`round ${round} of ${config.rounds}: ${what}`);
        const options = { logPath, app: one.app, scratchDir: dir, signal };
        await measureCase(one, options, expectedGuid(log, one.app));
      }
    }
    const sizes = log.requests.map((request) => request.bytes);
    return {
      log: {
        bytes: log.bytes,
        lines: log.lines,
        requests: log.requests.length,
        smallestRequest: Math.min(...sizes),
        largestRequest: Math.max(...sizes),
        writeMs,
      },
      latest,
      byApp,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One pipeline run and one build-req run; both must find `expected`. */
async function measureCase(one: ScrapeCase, options: ExtractOptions, expected: string) {
  const piped = await pipeline(options);
  progress(`  grep | tail | jq ${(piped.wallMs / 1000).toFixed(2)} s`);
  const scraped = await buildReq(options);
  const rss =
    scraped.peakRssBytes === undefined ? "" : `, ${(scraped.peakRssBytes / MB).toFixed(0)} MB RSS`;
  progress(`  build-req ${(scraped.wallMs / 1000).toFixed(2)} s${rss}`);
  for (const [who, found] of [
    ["build-req", scraped],
    ["the pipeline", piped],
  ] as const) {
    const guid = stagingGuidOf(found.request);
    if (guid !== expected) {
      throw new Error(`${who} found staging ${guid ?? "(none)"}, the log's answer is ${expected}`);
    }
  }
  if (!isDeepStrictEqual(scraped.request, piped.request)) {
    throw new Error("build-req and the pipeline printed different JSON for the same request");
  }
  one.pipeline.push(piped);
  one.restager.push(scraped);
}

/** The staging guid of the last request (of `app`, when given) written to the log. */
function expectedGuid(log: ScrapeLog, app: string | undefined): string {
  const matching = log.requests.filter((request) => app === undefined || request.appName === app);
  const last = matching[matching.length - 1];
  if (last === undefined) throw new Error(`the generated log has no request for ${app}`);
  return last.stagingGuid;
}

/** Reads the file once, so that every contender finds it in the page cache. */
async function readThrough(path: string): Promise<void> {
  const handle = await open(path);
  try {
    const buffer = Buffer.alloc(4 * MB);
    while ((await handle.read(buffer, 0, buffer.length)).bytesRead > 0);
  } finally {
    await handle.close();
  }
}
