/**
 * Every request any fake server received, in arrival order. An entry is added when the
 * request arrives and completed when both the response and the request body are done, so
 * in-flight requests are visible too (`outcome: "pending"`).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Fault } from "./faults.js";
import type { ServerName } from "./server-name.js";

export interface RecordedRequest {
  server: ServerName;
  method: string;
  /** Path without query. */
  path: string;
  /** Query parameters as received, secrets included (test infrastructure only). */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Response status; undefined while pending or when the socket was reset before headers. */
  status: number | undefined;
  /** Request body bytes received. */
  bodyBytes: number;
  /**
   * MD5 hex of the request body, when it was received completely and the fake records it
   * (FakeCfOptions.recordMd5, on by default).
   */
  bodyMd5: string | undefined;
  /** Arrival to the end of the handler (the response was fully written or abandoned). */
  durationMs: number;
  outcome: "pending" | "completed" | "reset" | "aborted";
  faults: Fault["kind"][];
}

export class RequestLog {
  readonly entries: RecordedRequest[] = [];

  add(entry: RecordedRequest): void {
    this.entries.push(entry);
  }

  /** Requests to one server, optionally only those whose path starts with `pathPrefix`. */
  to(server: ServerName, pathPrefix = ""): RecordedRequest[] {
    return this.entries.filter((e) => e.server === server && e.path.startsWith(pathPrefix));
  }

  /** How many requests were answered 304 Not Modified (all servers, or one). */
  count304(server?: ServerName): number {
    return this.entries.filter(
      (e) => e.status === 304 && (server === undefined || e.server === server),
    ).length;
  }
}
