import { isLaterThan, matchingRequests, type MatchOptions } from "./matching-requests.js";
import type { LogInput } from "./log-input.js";
import {
  markedRequestError,
  notReplayableError,
  nothingFoundError,
  originOf,
} from "./request-errors.js";
import type { FoundRequest } from "./scrape-requests.js";
import { newScrapeStats } from "./scrape-stats.js";

/**
 * The latest matching request (latest timestamp; ties go to the later line). It must be
 * replayable: if the latest one is a CC message or was redacted/truncated by lager, that is an
 * error — silently replaying an older request would replay something the user did not ask for.
 */
export async function findLatestRequest(
  inputs: readonly LogInput[],
  options: MatchOptions,
): Promise<FoundRequest> {
  const stats = options.stats ?? newScrapeStats();
  let latest: FoundRequest | undefined;
  for await (const found of matchingRequests(inputs, { ...options, stats })) {
    if (latest === undefined || isLaterThan(found, latest)) latest = found;
  }
  if (latest === undefined) throw nothingFoundError(stats, options.family, options.app);
  assertReplayable(latest);
  return latest;
}

/** Throws unless the request is a task or LRP with no redacted or truncated value. */
export function assertReplayable(found: FoundRequest): void {
  if (found.kind !== "task" && found.kind !== "lrp") {
    throw notReplayableError(originOf(found), found.kind, found.key);
  }
  if (found.markers.length > 0)
    throw markedRequestError(originOf(found), found.kind, found.markers);
}
