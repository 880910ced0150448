import type { InvalidInputError } from "../../errors.js";
import { findLatestRequest, withLineNumber } from "./find-latest-request.js";
import {
  matchingRequests,
  nothingMatched,
  type MatchOptions,
  type RequestFamily,
} from "./matching-requests.js";
import { markedRequestError, notReplayableError, originOf } from "./request-errors.js";
import type { RequestSummary } from "./request-summary.js";
import { resolveLogInputs } from "./resolve-log-inputs.js";
import type { LogInput } from "./log-input.js";
import type { ScrapeLogger } from "./scrape-requests.js";
import { newScrapeStats } from "./scrape-stats.js";

/** build-req / launch-req, as data. */
export interface RequestQuery {
  family: Exclude<RequestFamily, "any">;
  /** latest: the one request to replay; list: a table; all: every replayable match as JSON lines. */
  mode: "latest" | "list" | "all";
  files: readonly string[];
  stdin?: (NodeJS.ReadableStream & { isTTY?: boolean }) | undefined;
  app?: string | undefined;
  /** With list: one JSON array instead of the table. */
  json: boolean;
  /** With list: print the column header (when stdout is a terminal). */
  header: boolean;
  signal?: AbortSignal | undefined;
  /** Replaces the default log paths (tests). */
  defaultPaths?: readonly string[] | undefined;
}

/** Where results and diagnostics go; the CLI's Output fits. */
export interface QuerySink extends ScrapeLogger {
  result(text: string): void;
}

/** Runs a query and writes its results; errors (nothing found, not replayable) are thrown. */
export async function runRequestQuery(query: RequestQuery, sink: QuerySink): Promise<void> {
  const inputs = resolveLogInputs({ kind: query.family, ...query });
  switch (query.mode) {
    case "latest": {
      // Only the request is printed: its line number is not worth a second read of the file.
      const found = await findLatestRequest(inputs, { ...query, logger: sink, lineNumbers: false });
      sink.result(found.rawText);
      return;
    }
    case "list":
      return listRequests(inputs, query, sink);
    case "all":
      return printAllRequests(inputs, query, sink);
  }
}

async function listRequests(
  inputs: LogInput[],
  query: RequestQuery,
  sink: QuerySink,
): Promise<void> {
  const { formatRequestList, summarizeRequest } = await import("./request-summary.js");
  const stats = newScrapeStats();
  const rows: RequestSummary[] = [];
  for await (const found of matchingRequests(inputs, { ...query, stats, logger: sink })) {
    rows.push(summarizeRequest(found));
  }
  if (rows.length === 0) throw await nothingMatched(inputs, quiet(query, sink), stats);
  if (query.json) sink.result(JSON.stringify(rows, null, 2));
  else for (const line of formatRequestList(rows, query.header)) sink.result(line);
}

/**
 * Prints each replayable match as one line. Redacted or truncated matches are skipped with a
 * warning, CC messages silently; if every match was skipped, the last one's error is thrown.
 */
async function printAllRequests(
  inputs: LogInput[],
  query: RequestQuery,
  sink: QuerySink,
): Promise<void> {
  const stats = newScrapeStats();
  let printed = 0;
  let lastRefusal: InvalidInputError | undefined;
  // Lines are not counted: only a refusal names one, and it counts up to its request.
  const options = { ...query, stats, logger: sink, lineNumbers: false };
  for await (const match of matchingRequests(inputs, options)) {
    const refused = (match.kind !== "task" && match.kind !== "lrp") || match.markers.length > 0;
    const found = refused ? await withLineNumber(match) : match;
    if (found.kind !== "task" && found.kind !== "lrp") {
      // CC messages sit next to the request built from them (receptor era); not worth a warning.
      lastRefusal = notReplayableError(originOf(found), found.kind, found.key);
      sink.debug("skipped-cc-message", { source: found.origin.source, line: found.origin.line });
      continue;
    }
    if (found.markers.length > 0) {
      lastRefusal = markedRequestError(originOf(found), found.kind, found.markers);
      sink.warn(`skipped: ${lastRefusal.message}`);
      continue;
    }
    sink.result(found.rawText);
    printed++;
  }
  if (printed > 0) return;
  throw lastRefusal ?? (await nothingMatched(inputs, quiet(query, sink), stats));
}

/** Match options whose logger drops warnings: the first read gave them already. */
function quiet(query: RequestQuery, sink: QuerySink): MatchOptions {
  return { ...query, logger: { warn: () => undefined, debug: (e, d) => sink.debug(e, d) } };
}
