import type { NoInputError } from "../../errors.js";
import {
  candidateNeedles,
  familyKinds,
  familyNeedles,
  type RequestFamily,
} from "./classify-line.js";
import type { LogInput } from "./log-input.js";
import { nothingFoundError } from "./request-errors.js";
import { matchesApp } from "./request-meta.js";
import { scrapeRequests, type FoundRequest, type ScrapeOptions } from "./scrape-requests.js";
import { newScrapeStats, type ScrapeStats } from "./scrape-stats.js";

export { familyKinds, type RequestFamily };

export interface MatchOptions extends ScrapeOptions {
  family: RequestFamily;
  /** App name, app guid, staging guid, process guid or log guid (see matchesApp). */
  app?: string | undefined;
}

/**
 * The requests of the family (and app, if given), in input order. Files are searched for the
 * family's needles only, so `options.stats` counts only their requests; when nothing matches,
 * nothingMatched gives the exact counts.
 */
export async function* matchingRequests(
  inputs: readonly LogInput[],
  options: MatchOptions,
): AsyncGenerator<FoundRequest> {
  const needles = options.needles ?? familyNeedles(options.family);
  for await (const found of scrapeRequests(inputs, { ...options, needles })) {
    if (isMatch(found, options)) yield found;
  }
}

/**
 * The "nothing found" error with exact counts. Files were searched for the family's needles
 * only (or read backwards, in part): they are read again for every needle, so that the message
 * can say what else they hold; `options.logger` gets that read's warnings. Streams cannot be
 * read again; they were searched for every needle, and `stats` of that read is exact.
 */
export async function nothingMatched(
  inputs: readonly LogInput[],
  options: MatchOptions,
  stats: ScrapeStats,
): Promise<NoInputError> {
  let exact = stats;
  if (inputs.some((input) => input.path !== undefined)) {
    exact = newScrapeStats();
    const all = scrapeRequests(inputs, {
      ...options,
      needles: candidateNeedles,
      lineNumbers: true,
      stats: exact,
    });
    for await (const found of all) void found;
  }
  if (options.stats && options.stats !== exact) Object.assign(options.stats, exact);
  return nothingFoundError(exact, options.family, options.app);
}

/** Whether a request is of the family (and app) asked for. */
export function isMatch(found: FoundRequest, options: MatchOptions): boolean {
  if (!familyKinds[options.family].includes(found.kind)) return false;
  return options.app === undefined || matchesApp(found.meta, options.app);
}

/** True when `a` was logged after `b`: later timestamp, or the same (or none) and later in the input. */
export function isLaterThan(a: FoundRequest, b: FoundRequest): boolean {
  if (a.time !== undefined && b.time !== undefined && a.time.ns !== b.time.ns) {
    return a.time.ns > b.time.ns;
  }
  if (a.time !== undefined && b.time === undefined) return true;
  if (a.time === undefined && b.time !== undefined) return false;
  return a.sequence > b.sequence;
}
