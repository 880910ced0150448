import type { RequestKind } from "./classify-line.js";
import type { LogInput } from "./log-input.js";
import { matchesApp } from "./request-meta.js";
import { scrapeRequests, type FoundRequest, type ScrapeOptions } from "./scrape-requests.js";

/** What a command looks for: staging tasks (build-req), desired LRPs (launch-req), or either. */
export type RequestFamily = "task" | "lrp" | "any";

/** The kinds each family lists; the CC-message kinds are listed but not replayable. */
export const familyKinds: Record<RequestFamily, readonly RequestKind[]> = {
  task: ["task", "staging-request"],
  lrp: ["lrp", "desire-app-request"],
  any: ["task", "lrp", "staging-request", "desire-app-request"],
};

export interface MatchOptions extends ScrapeOptions {
  family: RequestFamily;
  /** App name, app guid, staging guid, process guid or log guid (see matchesApp). */
  app?: string | undefined;
  /**
   * Whether a request found by reading a file backwards gets its line number (by counting every
   * newline before it: a second read of the file up to it); default true. Refusals always do.
   */
  lineNumbers?: boolean | undefined;
}

/** The requests of the family (and app, if given), in input order. */
export async function* matchingRequests(
  inputs: readonly LogInput[],
  options: MatchOptions,
): AsyncGenerator<FoundRequest> {
  for await (const found of scrapeRequests(inputs, options)) {
    if (isMatch(found, options)) yield found;
  }
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
