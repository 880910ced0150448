import { statSync } from "node:fs";
import { candidateLinesBackwards, lineNumberAt } from "./backward-lines.js";
import { familyNeedles } from "./classify-line.js";
import {
  isLaterThan,
  isMatch,
  matchingRequests,
  nothingMatched,
  type MatchOptions,
} from "./matching-requests.js";
import { startsWithGzipMagic, type LogInput } from "./log-input.js";
import { defaultMaxLineBytes } from "./read-lines.js";
import { readFailure } from "./read-failure.js";
import { markedRequestError, notReplayableError, originOf } from "./request-errors.js";
import { inspectLine, type FoundRequest, type ScrapeLogger } from "./scrape-requests.js";
import { newScrapeStats, type ScrapeStats } from "./scrape-stats.js";

/**
 * The latest matching request (latest timestamp; ties go to the later line). It must be
 * replayable: if the latest one is a CC message or was redacted/truncated by lager, that is an
 * error — silently replaying an older request would replay something the user did not ask for.
 *
 * A plain file is read from its end backwards and only up to its last matching request: lager
 * appends lines in time order, so the last one is that file's latest. Gzip files and streams
 * cannot be read backwards and are read whole. A file last modified before the latest request
 * found so far cannot hold a later one and is not read. When nothing matches anywhere, the
 * inputs are read forward once more, for the exact counts the "nothing found" message gives.
 */
export async function findLatestRequest(
  inputs: readonly LogInput[],
  options: MatchOptions,
): Promise<FoundRequest> {
  const stats = newScrapeStats();
  // Warnings of the backward reads wait: when nothing is found the forward read repeats them.
  const warnings: string[] = [];
  const held = { ...options, stats, logger: holdWarnings(options, warnings) };
  let latest: FoundRequest | undefined;
  for (const input of inputs) {
    if (latest && isOlderThan(input, latest)) continue;
    const found = await latestIn(input, held, stats);
    if (found && (latest === undefined || isLaterThan(found, latest))) latest = found;
  }
  if (latest === undefined) {
    // A file's warnings come again from nothingMatched's read; a stream is not read again.
    if (inputs.every((input) => input.path === undefined)) flush(warnings, options.logger);
    throw await nothingMatched(inputs, options, stats);
  }
  flush(warnings, options.logger);
  if (options.stats) Object.assign(options.stats, stats);
  const replayable = isReplayable(latest);
  if (!replayable || options.lineNumbers !== false) latest = await withLineNumber(latest);
  assertReplayable(latest);
  return latest;
}

function flush(warnings: readonly string[], logger: ScrapeLogger | undefined): void {
  for (const warning of warnings) logger?.warn(warning);
}

function holdWarnings(options: MatchOptions, warnings: string[]): ScrapeLogger | undefined {
  const { logger } = options;
  if (!logger) return undefined;
  return { warn: (text) => warnings.push(text), debug: (event, data) => logger.debug(event, data) };
}

async function latestIn(
  input: LogInput,
  options: MatchOptions,
  stats: ScrapeStats,
): Promise<FoundRequest | undefined> {
  if (input.path !== undefined && !startsWithGzipMagic(input.path)) {
    return lastInFile({ input, path: input.path }, options, stats);
  }
  let latest: FoundRequest | undefined;
  for await (const found of matchingRequests([input], { ...options, stats })) {
    if (latest === undefined || isLaterThan(found, latest)) latest = found;
  }
  return latest;
}

/** The last matching request of a plain file, read backwards. */
async function lastInFile(
  { input, path }: { input: LogInput; path: string },
  options: MatchOptions,
  stats: ScrapeStats,
): Promise<FoundRequest | undefined> {
  const maxLineBytes = options.maxLineBytes ?? defaultMaxLineBytes;
  const onTooLong = (offset: number, bytes: number) => {
    stats.tooLong++;
    options.logger?.warn(
      `${input.name}: skipped a ${bytes}-byte line at byte ${offset} (longer than the ${maxLineBytes}-byte limit)`,
    );
  };
  try {
    const lines = candidateLinesBackwards(path, {
      needles: options.needles ?? familyNeedles(options.family),
      maxLineBytes,
      onTooLong,
      signal: options.signal,
    });
    for await (const line of lines) {
      const found = inspectLine(
        { lineNo: 0, text: line.text, offset: line.offset },
        input.name,
        stats,
      );
      if (found !== undefined && isMatch(found, options)) return found;
    }
  } catch (error) {
    readFailure(error, { source: input.name, lines: 0, logger: options.logger });
  }
  return undefined;
}

/**
 * True when `input` is a file last written before `found` was logged (with a second's slack).
 * Synchronous, as the reads are: a thread-pool round trip costs more than the stat (issue 14).
 */
function isOlderThan(input: LogInput, found: FoundRequest): boolean {
  if (input.path === undefined || found.time === undefined) return false;
  try {
    const { mtimeMs } = statSync(input.path);
    return BigInt(Math.floor(mtimeMs) + 1000) * 1_000_000n < found.time.ns;
  } catch {
    return false;
  }
}

/** The request with its line number, counted when it was found by its byte offset alone. */
export async function withLineNumber(found: FoundRequest): Promise<FoundRequest> {
  const { offset, source } = found.origin;
  if (offset === undefined || found.origin.line > 0) return found;
  // Not a spread copy: that would compute the request's meta (scrape-requests.ts).
  found.origin = { ...found.origin, line: await lineNumberAt(source, offset) };
  return found;
}

function isReplayable(found: FoundRequest): boolean {
  return (found.kind === "task" || found.kind === "lrp") && found.markers.length === 0;
}

/** Throws unless the request is a task or LRP with no redacted or truncated value. */
export function assertReplayable(found: FoundRequest): void {
  if (found.kind !== "task" && found.kind !== "lrp") {
    throw notReplayableError(originOf(found), found.kind, found.key);
  }
  if (found.markers.length > 0)
    throw markedRequestError(originOf(found), found.kind, found.markers);
}
