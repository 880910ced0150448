import type { RequestKind } from "./classify-line.js";
import type { FoundRequest } from "./scrape-requests.js";

/** One `--list` row; small, so a long log's list does not keep every payload in memory. */
export interface RequestSummary {
  /** RFC3339 with nanoseconds, UTC; absent when the line had no usable timestamp. */
  time: string | undefined;
  kind: RequestKind;
  appName: string | undefined;
  appId: string | undefined;
  /** The guid to name this request by: staging guid for tasks, process guid for LRPs. */
  guid: string | undefined;
  stack: string | undefined;
  source: string;
  line: number;
  message: string;
  /** Why it cannot be replayed as is, if so. */
  problem: string | undefined;
}

export function summarizeRequest(found: FoundRequest): RequestSummary {
  const { meta } = found;
  const byProcess = found.kind === "lrp" || found.kind === "desire-app-request";
  return {
    time: found.time?.iso,
    kind: found.kind,
    appName: meta.appName,
    appId: meta.appId,
    guid: byProcess ? meta.processGuid : (meta.stagingGuid ?? meta.appId),
    stack: meta.stack,
    source: found.origin.source,
    line: found.origin.line,
    message: found.message,
    problem: problemOf(found),
  };
}

function problemOf(found: FoundRequest): string | undefined {
  const marker = found.markers[0];
  if (marker) return `${marker.kind} at ${marker.path}`;
  if (found.kind === "staging-request" || found.kind === "desire-app-request") {
    return "CC message, not replayable";
  }
  return undefined;
}

const columns = ["TIME", "KIND", "APP", "GUID", "STACK", "SOURCE", "PROBLEM"];

/** Tab-separated rows (one per request, "-" for unknown values), optionally under a header. */
export function formatRequestList(rows: readonly RequestSummary[], header: boolean): string[] {
  const lines = rows.map((row) =>
    [
      row.time,
      row.kind,
      row.appName ?? row.appId,
      row.guid,
      row.stack,
      `${row.source}:${row.line}`,
      row.problem,
    ]
      .map((cell) => (cell === undefined || cell === "" ? "-" : cell.replace(/\s/g, " ")))
      .join("\t"),
  );
  return header ? [columns.join("\t"), ...lines] : lines;
}
