import type { Era } from "../task-definition.js";
import { IssueLog } from "./issue-log.js";

/**
 * State shared by every reader of one request: the issue log, the user that actions recorded
 * without one run as, and the encoding hints seen so far (which decide the request's era).
 */
export interface ParseContext {
  readonly log: IssueLog;
  /** `legacy_download_user`, else "vcap": the user of receptor-era downloads/uploads and image layers. */
  legacyDownloadUser: string;
  /** Encodings seen: "receptor" (no `user`, `privileged` on run, `root_fs`…) or "cc" (`timeout_ms`, checksums…). */
  readonly eraHints: Set<Era>;
}

/** What the caller knows about a request beyond its JSON. */
export interface ParseOptions {
  /** The staging guid from the log line (`staging-guid`), used when a task has none. */
  taskGuid?: string | undefined;
  /** Where the request came from ("task.json", "stager.log:123"), named in error messages. */
  origin?: string | undefined;
}

/** `Task definition` / `Task definition in task.json`: the subject of InvalidInputError messages. */
export function subjectOf(what: string, options: ParseOptions): string {
  return options.origin ? `${what} in ${options.origin}` : what;
}

export function createParseContext(log = new IssueLog()): ParseContext {
  return { log, legacyDownloadUser: "vcap", eraHints: new Set() };
}

/**
 * The era a request's encoding belongs to (docs/diego.md §0.1, §3.1). Cloud Controller–era
 * fields win, because receptor-era requests can never carry them; then receptor-era shapes; a
 * request with neither is a BBS model logged by the stager/nsync.
 */
export function detectEra(hints: ReadonlySet<Era>): Era {
  if (hints.has("cc")) return "cc";
  if (hints.has("receptor")) return "receptor";
  return "bbs";
}
