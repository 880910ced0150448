import { CandidateFinder } from "./candidate-finder.js";
import { classifyLine, type RequestKind } from "./classify-line.js";
import { findMarkersInJson, type MarkedValue } from "./find-markers.js";
import { jsonSpan } from "./json-span.js";
import { parseLagerLine } from "./lager-line.js";
import type { LagerTime } from "./lager-time.js";
import { startsWithGzipMagic, type LogInput } from "./log-input.js";
import { defaultMaxLineBytes, type Line } from "./read-lines.js";
import { describeRequest, type RequestMeta } from "./request-meta.js";
import { readFailure } from "./read-failure.js";
import { scanCandidates } from "./scan-candidates.js";
import { newScrapeStats, type ScrapeStats } from "./scrape-stats.js";

/** A request found in a log line. */
export interface FoundRequest {
  kind: RequestKind;
  /** The `data` key the payload sat under. */
  key: string;
  message: string;
  /**
   * The source name (path as given, or "stdin") and 1-based line number; a request found by
   * reading a file backwards has its byte offset, and line 0 unless its line was counted.
   */
  origin: { source: string; line: number; offset?: number | undefined };
  time: LagerTime | undefined;
  /** Position in the whole input; orders requests whose timestamps tie. */
  sequence: number;
  /** The payload's JSON exactly as it appeared in the line. */
  rawText: string;
  payload: Record<string, unknown>;
  /** Computed on first read (it costs a JSONPath walk of the payload; `--all` never reads it). */
  meta: RequestMeta;
  /** Values lager redacted or truncated; a request with any is not replayable. */
  markers: MarkedValue[];
}

/** Where diagnostics go (the CLI's Output fits); core code never writes to the terminal. */
export interface ScrapeLogger {
  warn(text: string): void;
  debug(event: string, data?: Record<string, unknown>): void;
}

export interface ScrapeOptions {
  /** Filled in while scraping; read it after the loop for "nothing found" messages. */
  stats?: ScrapeStats | undefined;
  logger?: ScrapeLogger | undefined;
  signal?: AbortSignal | undefined;
  maxLineBytes?: number | undefined;
  /**
   * Only lines holding one of these are parsed in inputs read from a file (default: every
   * candidate needle). A stream is read once, so it is always searched for every needle, and
   * its counts are exact.
   */
  needles?: readonly string[] | undefined;
  /**
   * False: lines of plain files are not counted; a request found in one has line 0 and its byte
   * offset (`lineNumberAt` gives the number), and the counts in `stats` leave those files'
   * lines out. Streams and gzip files are always counted. Default true.
   */
  lineNumbers?: boolean | undefined;
}

/**
 * Yields every request in the inputs, in input order (inputs in order, lines in order). Lines are
 * streamed; only lines passing a cheap substring test are decoded and parsed (docs/diego.md
 * §1.7); the test runs on raw chunks (scan-candidates.ts).
 */
export async function* scrapeRequests(
  inputs: readonly LogInput[],
  options: ScrapeOptions = {},
): AsyncGenerator<FoundRequest> {
  const stats = options.stats ?? newScrapeStats();
  for (const input of inputs) {
    const source = { name: input.name, lines: 0 };
    stats.sources.push(source);
    try {
      const counted = (lines: number, nonJson: number) => {
        source.lines += lines;
        stats.lines += lines;
        stats.nonJson += nonJson;
      };
      for await (const line of readInput(input, stats, { ...options, counted })) {
        const found = inspectLine(line, input.name, stats);
        if (found) yield found;
      }
    } catch (error) {
      readFailure(error, { source: input.name, lines: source.lines, logger: options.logger });
    }
    options.logger?.debug("log-read", { ...source, totals: { ...stats, sources: undefined } });
  }
}

async function* readInput(
  input: LogInput,
  stats: ScrapeStats,
  options: ScrapeOptions & { counted: (lines: number, nonJson: number) => void },
): AsyncGenerator<Line> {
  const countLines =
    options.lineNumbers !== false || input.path === undefined || startsWithGzipMagic(input.path);
  const finder = new CandidateFinder(input.path === undefined ? undefined : options.needles);
  const stream = await input.open(options.signal, (bytes) => finder.blockBuffer(bytes));
  const limit = options.maxLineBytes ?? defaultMaxLineBytes;
  yield* scanCandidates(stream, {
    finder,
    countLines,
    onTooLongAt: (offset, bytes) => {
      stats.tooLong++;
      options.logger?.warn(
        `${input.name}: skipped a ${bytes}-byte line at byte ${offset} (longer than the ${limit}-byte limit)`,
      );
    },
    maxLineBytes: options.maxLineBytes ?? defaultMaxLineBytes,
    signal: options.signal,
    onLines: options.counted,
    onTooLong: (lineNo, bytes) => {
      stats.tooLong++;
      stats.lines++;
      options.logger?.warn(
        `${input.name}:${lineNo}: skipped a ${bytes}-byte line (longer than the ${options.maxLineBytes ?? defaultMaxLineBytes}-byte limit)`,
      );
    },
  });
}

/**
 * The request on a candidate line, if it holds one (counted in `stats`, which also numbers it:
 * `sequence`). Its `meta` is computed when first read; a copy made by spreading reads it.
 */
export function inspectLine(
  line: Line,
  source: string,
  stats: ScrapeStats,
): FoundRequest | undefined {
  stats.candidates++;
  const entry = parseLagerLine(line.text);
  if (entry === undefined) {
    stats.unparsable++;
    return undefined;
  }
  const classified = classifyLine(entry);
  if (classified === "payloadless") stats.payloadless++;
  if (classified === undefined || classified === "payloadless") return undefined;
  const span = jsonSpan(line.text, entry.jsonStart, ["data", classified.key]);
  const rawText = span ? line.text.slice(span.start, span.end) : JSON.stringify(classified.payload);
  let meta: RequestMeta | undefined;
  return {
    kind: classified.kind,
    key: classified.key,
    message: entry.message,
    origin: { source, line: line.lineNo, offset: line.offset },
    time: entry.time,
    sequence: stats.requests++,
    rawText,
    payload: classified.payload,
    get meta() {
      meta ??= describeRequest(classified.payload, entry.data);
      return meta;
    },
    markers: findMarkersInJson(classified.payload, rawText),
  };
}
