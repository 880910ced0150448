import { InvalidInputError, NoInputError } from "../../errors.js";
import type { RequestFamily, RequestKind } from "./classify-line.js";
import { describeMarker, type MarkedValue } from "./find-markers.js";
import type { FoundRequest } from "./scrape-requests.js";
import type { ScrapeStats } from "./scrape-stats.js";

const familyWords: Record<RequestFamily, string> = {
  task: "staging task request",
  lrp: "desired LRP request",
  any: "staging task or desired LRP request",
};

const lookedFor: Record<RequestFamily, string> = {
  task: "data.taskDefinition or data.TaskCreateRequest (on *.staging-task-request lines)",
  lrp: "data.desiredLRP (on *.desired-app-request lines) or data.create-request",
  any: "data.taskDefinition, data.TaskCreateRequest, data.desiredLRP or data.create-request",
};

const fetchHint: Record<RequestFamily, string> = {
  task: "is the stager patched to log the task definition? See README \"Getting the requests\". Where Cloud Controller desires tasks itself (2017 and later), run 'cfdot task TASK_GUID' while staging runs",
  lrp: "is nsync-listener patched to log the desired LRP? See README \"Getting the requests\". Where Cloud Controller desires LRPs itself (2017 and later), run 'cfdot desired-lrp PROCESS_GUID'",
  any: "see README \"Getting the requests\"; on newer platforms use 'cfdot task TASK_GUID' or 'cfdot desired-lrp PROCESS_GUID'",
};

/** Nothing matched: says what was read, what was looked for, and why it may be missing. */
export function nothingFoundError(
  stats: ScrapeStats,
  family: RequestFamily,
  app?: string,
): NoInputError {
  const read = stats.sources.map((source) => `${source.name} (${source.lines} lines)`).join(", ");
  const target = app === undefined ? "" : ` for app '${app}'`;
  const notes: string[] = [];
  if (stats.requests > 0) {
    const other = app === undefined ? "of other kinds" : "for other apps or of other kinds";
    notes.push(`${stats.requests} request(s) ${other} were found`);
  }
  if (stats.payloadless > 0) {
    notes.push(
      `${stats.payloadless} request line(s) carried no payload, as upstream components log them`,
    );
  }
  if (stats.unparsable > 0)
    notes.push(`${stats.unparsable} candidate line(s) were cut short or corrupt`);
  if (stats.tooLong > 0) notes.push(`${stats.tooLong} line(s) were too long to read`);
  const message = `No ${familyWords[family]}${target} found in ${read || "no input"}; looked for ${lookedFor[family]}${notes.length > 0 ? `. ${notes.join("; ")}` : ""}`;
  return new NoInputError(message, { hint: capitalise(fetchHint[family]) });
}

const kindWords: Record<RequestKind | "unknown", string> = {
  unknown: "request",
  task: "staging task",
  lrp: "desired LRP",
  "staging-request": "Cloud Controller staging request (StagingRequestFromCC)",
  "desire-app-request": "Cloud Controller desire-app request (DesireAppRequestFromCC)",
};

/** `source:line` of a found request, as messages name it. */
export function originOf(found: FoundRequest): string {
  return `${found.origin.source}:${found.origin.line}`;
}

/** The match is CC's message to the stager/nsync, not the task or LRP built from it. */
export function notReplayableError(
  where: string,
  kind: RequestKind,
  key?: string,
): InvalidInputError {
  const from = key === undefined ? "" : ` (data.${key})`;
  return new InvalidInputError(
    `The request at ${where} is a ${kindWords[kind]}${from}; deriving the Diego request from it is not supported yet`,
    [],
    {
      hint: 'Run the stager at debug level (receptor era: it then logs data.TaskCreateRequest) or patch it to log the task definition; see README "Getting the requests"',
    },
  );
}

/** lager redacted or truncated values of the request: replaying it would not be what Diego ran. */
export function markedRequestError(
  where: string,
  kind: RequestKind | "unknown",
  markers: readonly MarkedValue[],
): InvalidInputError {
  const first = markers[0];
  const what = first ? `${first.path} was ${describeMarker(first.kind)}` : "values were altered";
  return new InvalidInputError(
    `The ${kindWords[kind]} at ${where} cannot be replayed: ${what}`,
    markers.map((marker) => ({ path: marker.path, message: describeMarker(marker.kind) })),
    {
      hint: `Re-capture the log with lager's redacting and truncating sinks disabled, or fetch the request with 'cfdot task TASK_GUID' / 'cfdot desired-lrp PROCESS_GUID'`,
    },
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
