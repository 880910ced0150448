/**
 * The `build-req` / `launch-req` use case: find the staging task or desired LRP requests in
 * stager / nsync-listener logs (given files, stdin, else the usual log paths) and write the
 * latest, a list, or every match to the sink. The search itself is src/logs/run-request-query.ts.
 */
import {
  runRequestQuery,
  type QuerySink,
  type RequestQuery,
} from "../request-input/scrape/run-request-query.js";

export interface FindRequest {
  family: RequestQuery["family"];
  /** latest: the one request to replay; list: a table; all: every replayable match. */
  mode: RequestQuery["mode"];
  /** Log files; none: stdin, else the usual paths. */
  files: readonly string[];
  app?: string | undefined;
  /** With list: one JSON array instead of the table. */
  json: boolean;
  /** With list: print the column header (stdout is a terminal). */
  header: boolean;
}

export interface FindRequestPorts {
  stdin: RequestQuery["stdin"];
  /** Where results and diagnostics go. */
  sink: QuerySink;
}

export async function findRequest(request: FindRequest, ports: FindRequestPorts): Promise<void> {
  await runRequestQuery({ ...request, stdin: ports.stdin }, ports.sink);
}
