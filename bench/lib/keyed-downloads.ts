/** What the fake CF's request log says about downloads made under a cache key. */
import type { RecordedRequest } from "../../test/kit/fake-cf/fake-cf.js";

export interface KeyedDownloads {
  /** GETs of keyed URLs. */
  requests: number;
  /** Of which answered 200 (a full body sent again). */
  fullResponses: number;
  /** Of which answered 304 Not Modified. */
  notModified: number;
  /** Body bytes of the 200 responses (each keyed URL serves a file of known size). */
  bytes: number;
}

/** Sums up `requests` (a slice of the log) for the URL paths in `keyedPaths` (path → body size). */
export function keyedDownloads(
  requests: readonly RecordedRequest[],
  keyedPaths: ReadonlyMap<string, number>,
): KeyedDownloads {
  const summary: KeyedDownloads = { requests: 0, fullResponses: 0, notModified: 0, bytes: 0 };
  for (const request of requests) {
    const size = keyedPaths.get(request.path);
    if (request.method !== "GET" || size === undefined) continue;
    summary.requests += 1;
    if (request.status === 304) summary.notModified += 1;
    if (request.status === 200) {
      summary.fullResponses += 1;
      summary.bytes += size;
    }
  }
  return summary;
}
