import type { Check, CheckDefinition } from "../desired-lrp.js";
import { JsonReader } from "./json-reader.js";
import type { ParseContext } from "./parse-context.js";

/**
 * Reads `check_definition` (declarative health checks, docs/diego.md §4.4, §4.6). Each check
 * holds exactly one of `tcp_check` / `http_check`.
 */
export function readCheckDefinition(
  parent: JsonReader,
  ctx: ParseContext,
): CheckDefinition | undefined {
  const definition = parent.object("check_definition");
  if (!definition) return undefined;
  ctx.eraHints.add("cc");
  const checks = readChecks(definition, "checks");
  const readinessChecks = readChecks(definition, "readiness_checks");
  const logSource = definition.string("log_source") ?? "";
  definition.finish();
  return { checks, readinessChecks, logSource };
}

function readChecks(definition: JsonReader, key: string): Check[] {
  const checks: Check[] = [];
  for (const element of definition.array(key) ?? []) {
    const entry = JsonReader.of(element.value, element.path, definition.log);
    if (!entry) continue;
    const tcp = entry.object("tcp_check");
    const http = entry.object("http_check");
    entry.finish();
    if (tcp && http)
      entry.log.error(element.path, "has both tcp_check and http_check; expected one");
    else if (tcp) checks.push(readTcpCheck(tcp));
    else if (http) checks.push(readHttpCheck(http));
    else entry.log.error(element.path, "expected tcp_check or http_check");
  }
  return checks;
}

function readTcpCheck(tcp: JsonReader): Check {
  const check: Check = {
    kind: "tcp",
    port: tcp.number("port", { min: 1, max: 65535 }) ?? 0,
    connectTimeoutMs: tcp.number("connect_timeout_ms", { min: 0 }) || undefined,
    intervalMs: tcp.number("interval_ms", { min: 0 }) || undefined,
  };
  tcp.finish();
  return check;
}

/** The executor defaults an empty path to `/`. */
function readHttpCheck(http: JsonReader): Check {
  const check: Check = {
    kind: "http",
    port: http.number("port", { min: 1, max: 65535 }) ?? 0,
    path: http.string("path") || "/",
    requestTimeoutMs: http.number("request_timeout_ms", { min: 0 }) || undefined,
    intervalMs: http.number("interval_ms", { min: 0 }) || undefined,
  };
  http.finish();
  return check;
}
