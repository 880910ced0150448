import { findActions, type RunAction } from "../diego/actions.js";
import type { Check, DesiredLrp } from "../diego/desired-lrp.js";
import { shellJoin } from "./shell-quote.js";

/** One health probe, whatever era it was recorded in. */
export interface Probe {
  kind: "tcp" | "http";
  port: number;
  /** HTTP path (http probes only). */
  path?: string | undefined;
  /** Dial / request timeout; undefined = the healthcheck binary's default (1 s). */
  timeoutMs?: number | undefined;
  /** Liveness interval of a check_definition check. */
  intervalMs?: number | undefined;
}

/** How an LRP's health is checked, normalised for every target (Docker, Swarm, k8s, compose). */
export interface AppHealth {
  source: "check_definition" | "monitor" | "none";
  /** Liveness probes: check_definition `checks`, or one per monitor run action. */
  probes: Probe[];
  /** check_definition `readiness_checks` (k8s readinessProbe); empty otherwise. */
  readiness: Probe[];
  /** The command run inside the container for each probe (argv). */
  commands: string[][];
}

/** Where the lifecycle tarball's healthcheck binary sits in a launcher image. */
export const healthcheckPath = "/tmp/lifecycle/healthcheck";

/**
 * Diego's choice (docs/diego.md §4.6): `check_definition` when it has checks, else the
 * `monitor` action, else no health check. A monitor's run actions are kept as recorded (path and
 * args); a check definition becomes the healthcheck binary the executor would run for it.
 */
export function appHealth(lrp: DesiredLrp): AppHealth {
  const definition = lrp.checkDefinition;
  if (definition && definition.checks.length > 0) {
    const probes = definition.checks.map(probeOfCheck);
    return {
      source: "check_definition",
      probes,
      readiness: definition.readinessChecks.map(probeOfCheck),
      commands: probes.map(healthcheckArgv),
    };
  }
  const runs = lrp.monitor ? findActions(lrp.monitor, "run") : [];
  if (runs.length > 0) {
    return {
      source: "monitor",
      probes: runs.map(probeOfMonitorRun),
      readiness: [],
      commands: runs.map((run) => [run.path, ...run.args]),
    };
  }
  return { source: "none", probes: [], readiness: [], commands: [] };
}

function probeOfCheck(check: Check): Probe {
  if (check.kind === "tcp") {
    return {
      kind: "tcp",
      port: check.port,
      timeoutMs: check.connectTimeoutMs,
      intervalMs: check.intervalMs,
    };
  }
  return {
    kind: "http",
    port: check.port,
    path: check.path || "/",
    timeoutMs: check.requestTimeoutMs,
    intervalMs: check.intervalMs,
  };
}

/** The healthcheck binary's argv for a probe (the flags the executor passes, §4.6). */
export function healthcheckArgv(probe: Probe): string[] {
  const argv = [healthcheckPath, `-port=${probe.port}`, `-timeout=${probe.timeoutMs ?? 1000}ms`];
  if (probe.kind === "http") argv.push(`-uri=${probe.path ?? "/"}`);
  return argv;
}

/** Reads `-port`, `-uri` and `-timeout` the way Go's flag package accepts them. */
function probeOfMonitorRun(run: RunAction): Probe {
  const flags = goFlags(run.args);
  const port = Number(flags.get("port") ?? "8080");
  const uri = flags.get("uri") ?? "";
  const timeoutMs = parseGoDurationMs(flags.get("timeout"));
  return uri === ""
    ? { kind: "tcp", port, timeoutMs }
    : { kind: "http", port, path: uri, timeoutMs };
}

function goFlags(args: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const match = /^--?([\w-]+)(?:=(.*))?$/s.exec(args[i] ?? "");
    if (!match?.[1]) continue;
    if (match[2] !== undefined) flags.set(match[1], match[2]);
    else if (i + 1 < args.length) flags.set(match[1], args[++i] ?? "");
  }
  return flags;
}

const durationUnitsMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `1s`, `500ms`, `1m30s` → ms; undefined for anything else. */
export function parseGoDurationMs(text: string | undefined): number | undefined {
  if (!text || !/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, value, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(value) * (durationUnitsMs[unit ?? "s"] ?? 0);
  }
  return Math.round(total);
}

/** The whole check as one shell command line (several probes must all pass). */
export function healthShellCommand(health: AppHealth): string {
  return health.commands.map((argv) => shellJoin(argv)).join(" && ");
}
