/**
 * Lager log lines (docs/diego.md §1.1–§1.6) as the cf-furnace–patched stager and nsync write them,
 * so tests and the demo can feed restager realistic logs. Lines have no trailing newline.
 */

export interface LagerLineOptions {
  /** Event time in Unix nanoseconds; default now. */
  timeNs?: bigint;
  /** lager session id (`data.session`); default "1". */
  session?: string;
  /** `epoch` (default, all eras) or the opt-in `rfc3339` envelope (lager ≥ 2018). */
  format?: "epoch" | "rfc3339";
  level?: "debug" | "info" | "error" | "fatal";
}

const LEVELS = ["debug", "info", "error", "fatal"] as const;

/** What a lager call carries: the component, `<session chain>.<action>`, and the data map. */
export interface LagerEntry {
  source: string;
  message: string;
  data: Record<string, unknown>;
}

/** `stager.traditional.build-recipe.staging-task-request` carrying `taskDefinition`. */
export function stagingTaskLogLine(
  taskDefinition: unknown,
  ids: { appId: string; stagingGuid: string },
  options: LagerLineOptions = {},
): string {
  const data = { "app-id": ids.appId, "staging-guid": ids.stagingGuid, taskDefinition };
  return lagerLine(
    { source: "stager", message: "stager.traditional.build-recipe.staging-task-request", data },
    options,
  );
}

/** `nsync-listener.message-builder.desired-app-request` carrying `desiredLRP`. */
export function desiredLrpLogLine(desiredLRP: unknown, options: LagerLineOptions = {}): string {
  const message = "nsync-listener.message-builder.desired-app-request";
  return lagerLine({ source: "nsync-listener", message, data: { desiredLRP } }, options);
}

/**
 * One lager line. `data` is a Go map, so its keys come out sorted (nested payloads keep their
 * own order, as Go structs do); strings get Go's HTML-safe escaping of `<`, `>`, `&`.
 */
export function lagerLine(entry: LagerEntry, options: LagerLineOptions = {}): string {
  const { source, message, data } = entry;
  const timeNs = options.timeNs ?? BigInt(Date.now()) * 1_000_000n;
  const level = options.level ?? "info";
  const withSession: Record<string, unknown> = { ...data, session: options.session ?? "1" };
  const sorted = Object.fromEntries(
    Object.keys(withSession)
      .sort()
      .map((k) => [k, withSession[k]]),
  );
  const line =
    options.format === "rfc3339"
      ? { timestamp: rfc3339(timeNs), level, source, message, data: sorted }
      : {
          timestamp: epoch(timeNs),
          source,
          message,
          log_level: LEVELS.indexOf(level),
          data: sorted,
        };
  return goEscape(JSON.stringify(line));
}

/** `%.9f` of the time in seconds, e.g. `1465495532.123456717`. */
function epoch(timeNs: bigint): string {
  return `${timeNs / 1_000_000_000n}.${(timeNs % 1_000_000_000n).toString().padStart(9, "0")}`;
}

/** RFC 3339 in UTC with exactly 9 fractional digits. */
function rfc3339(timeNs: bigint): string {
  const seconds = new Date(Number(timeNs / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
  return `${seconds}.${(timeNs % 1_000_000_000n).toString().padStart(9, "0")}Z`;
}

/**
 * encoding/json escapes these inside strings; they cannot occur outside strings in JSON
 * text, so replacing them everywhere is safe and JSON.parse gives the same value back.
 */
function goEscape(json: string): string {
  return json.replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
