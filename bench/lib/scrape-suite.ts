/**
 * The scraper benchmark (issue 7 item 6, issue 14 goal 4): for each size of BENCH_LOG_MB (512
 * and 1024), a generated lager log with BENCH_LOG_REQUESTS (50) staging requests in it, and
 * `build-req` in four modes (latest request, `--app`, `--all`, `--list`) against the grep
 * pipeline doing the same work on the same file (scrape-contenders.ts), interleaved,
 * BENCH_ROUNDS times. Every run must find what the generator knows to be the answer, and both
 * contenders the same requests, or the suite fails. Then a log with a 20 MB line in it, for
 * restager's peak RSS reading past such a line (latest and `--all`). Logs are deleted at once.
 */
import { appendFile, mkdtemp, open, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { BenchConfig } from "./bench-config.js";
import { MB } from "./bench-blobs.js";
import { progress } from "./progress.js";
import {
  buildReq,
  listedLines,
  parseLines,
  parseOne,
  pipeline,
  stagingGuidOf,
  type Extraction,
  type ExtractOptions,
  type ScrapeMode,
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

/** The app of mode "app": it stages only in the first half of the log. */
const targetApp = scrapeApps[scrapeApps.length - 1];

/** Issue 14: the latest request ≤ 0.5x its pipeline; the whole-log modes ≤ 1.0x. */
export const scrapeGoals: Record<ScrapeMode, number> = { latest: 0.5, app: 1, all: 1, list: 1 };
export const scrapeModes: readonly ScrapeMode[] = ["latest", "app", "all", "list"];
/** Peak RSS goal for reading past a 20 MB line (issue 14: it took 185 MB). */
export const longLineGoalMb = 100;
const longLineMb = 20;

export interface ScrapeCase {
  mode: ScrapeMode;
  restager: Extraction[];
  pipeline: Extraction[];
}

export interface LogFacts {
  bytes: number;
  lines: number;
  requests: number;
  smallestRequest: number;
  largestRequest: number;
  writeMs: number;
  /** 1-minute load average when this log's rounds started. */
  load: number;
}

export interface ScrapeSize {
  log: LogFacts;
  cases: ScrapeCase[];
}

export interface LongLineFigures {
  lineBytes: number;
  logBytes: number;
  latest: Extraction;
  all: Extraction;
}

export interface ScrapeResults {
  sizes: ScrapeSize[];
  longLine: LongLineFigures;
}

export async function runScrapeSuite(
  config: BenchConfig,
  signal: AbortSignal,
): Promise<ScrapeResults> {
  const dir = await mkdtemp(join(tmpdir(), "restager-scrape-bench-"));
  try {
    const sizes: ScrapeSize[] = [];
    for (const sizeMb of config.logMb) {
      sizes.push(await runSize({ dir, sizeMb, config, signal }));
    }
    const longLine = await runLongLine(dir, signal);
    return { sizes, longLine };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runSize(run: {
  dir: string;
  sizeMb: number;
  config: BenchConfig;
  signal: AbortSignal;
}): Promise<ScrapeSize> {
  const { dir, sizeMb, config, signal } = run;
  const logPath = join(dir, `stager-${sizeMb}.stdout.log`);
  progress(`writing a ${sizeMb} MB log with ${config.logRequests} staging requests`);
  const started = performance.now();
  const log = await writeScrapeLog(logPath, {
    sizeMb,
    requests: config.logRequests,
    apps: scrapeApps,
    signal,
  });
  const writeMs = performance.now() - started;
  try {
    await readThrough(logPath);
    const load = loadavg()[0] ?? 0;
    const cases = scrapeModes.map((mode): ScrapeCase => ({ mode, restager: [], pipeline: [] }));
    for (let round = 1; round <= config.rounds; round++) {
      for (const one of cases) {
        progress(`${sizeMb} MB log, round ${round} of ${config.rounds}: ${one.mode}`);
        const options = { logPath, mode: one.mode, app: targetApp, scratchDir: dir, signal };
        await measureCase(one, options, log);
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
        load,
      },
      cases,
    };
  } finally {
    await rm(logPath, { force: true });
  }
}

/** One pipeline run and one build-req run; both must find the log's answer. */
async function measureCase(one: ScrapeCase, options: ExtractOptions, log: ScrapeLog) {
  const piped = await pipeline(options);
  progress(`  pipeline ${(piped.wallMs / 1000).toFixed(2)} s`);
  const scraped = await buildReq(options);
  const rss =
    scraped.peakRssBytes === undefined ? "" : `, ${(scraped.peakRssBytes / MB).toFixed(0)} MB RSS`;
  progress(`  build-req ${(scraped.wallMs / 1000).toFixed(2)} s${rss}`);
  checkAnswers(options.mode, { scraped, piped, log });
  // The outputs were checked; only the figures are kept.
  one.pipeline.push({ ...piped, stdout: "" });
  one.restager.push({ ...scraped, stdout: "" });
}

function checkAnswers(
  mode: ScrapeMode,
  { scraped, piped, log }: { scraped: Extraction; piped: Extraction; log: ScrapeLog },
): void {
  const expected = log.requests.filter(
    (request) => mode !== "app" || request.appName === targetApp,
  );
  const same = (what: string, [ours, theirs]: [unknown, unknown], answer: unknown) => {
    if (!isDeepStrictEqual(ours, answer))
      throw new Error(`${mode}: build-req's ${what} is not the log's`);
    if (!isDeepStrictEqual(theirs, answer))
      throw new Error(`${mode}: the pipeline's ${what} is not the log's`);
  };
  if (mode === "list") {
    const lines = expected.map((request) => request.lineNo);
    const listed = [listedLines("restager", scraped.stdout), listedLines("pipeline", piped.stdout)];
    same("line numbers", listed as [number[], number[]], lines);
    return;
  }
  const ours =
    mode === "all"
      ? parseLines("build-req", scraped.stdout)
      : [parseOne("build-req", scraped.stdout)];
  const theirs =
    mode === "all"
      ? parseLines("the pipeline", piped.stdout)
      : [parseOne("the pipeline", piped.stdout)];
  const guids = (mode === "all" ? expected : expected.slice(-1)).map(
    (request) => request.stagingGuid,
  );
  same("staging guids", [ours.map(stagingGuidOf), theirs.map(stagingGuidOf)], guids);
  if (!isDeepStrictEqual(ours, theirs)) {
    throw new Error(
      `${mode}: build-req and the pipeline printed different JSON for the same requests`,
    );
  }
}

/**
 * A 16 MB log with two requests, then a 20 MB request line (longer than build-req's 16 MiB line
 * limit, so skipped with a warning, never held whole): restager's peak RSS reading past it
 * backwards (latest) and forwards (--all).
 */
async function runLongLine(dir: string, signal: AbortSignal): Promise<LongLineFigures> {
  const logPath = join(dir, "long-line.stdout.log");
  progress(`writing a log with a ${longLineMb} MB line`);
  const log = await writeScrapeLog(logPath, { sizeMb: 16, requests: 2, apps: scrapeApps, signal });
  const padding = "x".repeat(longLineMb * MB);
  const line = `{"timestamp":"1900000000.000000000","source":"stager","message":"stager.staging-task-request","log_level":0,"data":{"taskDefinition":{"padding":"${padding}"}}}\n`;
  await appendFile(logPath, line);
  try {
    const options = { logPath, scratchDir: dir, signal };
    const latest = await buildReq({ ...options, mode: "latest" });
    const all = await buildReq({ ...options, mode: "all" });
    const expected = log.requests.map((request) => request.stagingGuid);
    if (stagingGuidOf(parseOne("build-req", latest.stdout)) !== expected.at(-1))
      throw new Error("long line: build-req did not find the last request before the long line");
    if (!isDeepStrictEqual(parseLines("build-req", all.stdout).map(stagingGuidOf), expected))
      throw new Error("long line: build-req --all did not print the two requests");
    progress(`  peak RSS: latest ${mb(latest)}, --all ${mb(all)}`);
    return {
      lineBytes: line.length,
      logBytes: log.bytes + line.length,
      latest: { ...latest, stdout: "" },
      all: { ...all, stdout: "" },
    };
  } finally {
    await rm(logPath, { force: true });
  }
}

function mb(run: Extraction): string {
  return run.peakRssBytes === undefined ? "?" : `${(run.peakRssBytes / MB).toFixed(0)} MB`;
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
