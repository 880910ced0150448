import {
  healthcheckArgv,
  healthcheckPath,
  healthShellCommand,
  type AppHealth,
} from "./app-health.js";
import { shellJoin } from "./shell-quote.js";

/** A Docker health check (container, Swarm service or compose service). */
export interface HealthcheckSpec {
  /** `["CMD", argv...]` for one probe, `["CMD-SHELL", "a && b"]` for several. */
  test: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

/**
 * Docker's check interval (Swarm, compose, and a local instance's status): 2 s. A cell tries a
 * starting instance every 0.5 s by default (the rep's `unhealthy_monitoring_interval`) inside one
 * long-running healthcheck process; Docker starts a process per try, so it tries less often.
 */
export const startingIntervalMs = 2_000;
/** Consecutive failures Docker needs before it calls a started instance unhealthy. */
export const healthRetries = 3;

/**
 * Maps an LRP's health check to Docker's. Docker has one interval for both phases (the engine
 * here predates `StartInterval`), so startingIntervalMs is used throughout. The
 * start period is the LRP's start timeout: failures before it do not count, as Diego keeps
 * checking until `start_timeout_ms`; after it, `healthRetries` failures in a row make the
 * instance unhealthy (Diego crashes it at the first failed liveness check; Docker only marks it,
 * and `launch` reports it crashed). The Docker timeout leaves the binary's own dial/request
 * timeout room to expire first. undefined = no health check.
 */
export function containerHealthcheck(
  health: AppHealth,
  startTimeoutMs: number,
): HealthcheckSpec | undefined {
  const [only, ...more] = health.commands;
  if (!only) return undefined;
  const probeTimeoutMs = Math.max(...health.probes.map((probe) => probe.timeoutMs ?? 1_000));
  return {
    test: more.length === 0 ? ["CMD", ...only] : ["CMD-SHELL", healthShellCommand(health)],
    intervalMs: startingIntervalMs,
    timeoutMs: probeTimeoutMs + 2_000,
    retries: healthRetries,
    startPeriodMs: startTimeoutMs,
  };
}

/** Diego checks a healthy instance every 30 s (`healthy_monitoring_interval`) unless told. */
export const healthyIntervalMs = 30_000;
/** Written by the start script at every (re)start; see livenessScript. */
export const startedMarker = "/tmp/.restager-started";
/** Written by a passing check; a later failure is then a liveness failure. */
export const liveMarker = "/tmp/.restager-live";

/**
 * Liveness for containers `launch` runs itself. Diego crashes an instance at its first failed
 * liveness check, and when it is not healthy within the start timeout; the crash is then
 * restarted. Docker only marks a container unhealthy, so the check itself ends the instance:
 * on failure after a passing check (the live marker) or after the start timeout (the started
 * marker's age), it sends TERM to PID 1 (the init, which runs as the app's user and forwards
 * it), the container exits and the restart policy restarts it. One failure is enough
 * (retries 1), checked every `interval_ms` of the check definition (the shortest), else 30 s.
 * `launch` does not wait for Docker's first interval: it runs readyCheckArgv itself.
 */
export function livenessHealthcheck(
  health: AppHealth,
  startTimeoutMs: number,
): HealthcheckSpec | undefined {
  if (health.commands.length === 0) return undefined;
  const probeTimeoutMs = Math.max(...health.probes.map((probe) => probe.timeoutMs ?? 1_000));
  const startTimeoutS = Math.ceil(startTimeoutMs / 1000);
  const script = [
    `if ${healthShellCommand(health)}; then : >${liveMarker}; exit 0; fi`,
    `s=$(cat ${startedMarker} 2>/dev/null || echo 0)`,
    `if [ -e ${liveMarker} ] || [ $(($(date +%s) - s)) -ge ${startTimeoutS} ]; then kill -TERM 1; fi`,
    "exit 1",
  ].join("\n");
  return {
    test: ["CMD-SHELL", script],
    intervalMs: livenessIntervalMs(health),
    timeoutMs: probeTimeoutMs + 2_000,
    retries: 1,
    startPeriodMs: startTimeoutMs,
  };
}

function livenessIntervalMs(health: AppHealth): number {
  const intervals = health.probes.flatMap((probe) => (probe.intervalMs ? [probe.intervalMs] : []));
  return intervals.length > 0 ? Math.min(...intervals) : healthyIntervalMs;
}

/**
 * What `launch` runs (docker exec) until an instance is healthy: the liveness checks (marking
 * the instance live, as Docker's check would) and then the readiness checks, which on a cell
 * decide routability; an instance counts as running when both pass. undefined = no check.
 */
export function readyCheckArgv(health: AppHealth): string[] | undefined {
  if (health.commands.length === 0) return undefined;
  return checkScript(health, `${healthShellCommand(health)} || exit 1`);
}

/** `sh -c`: the liveness line, then the live marker, then one try of each readiness check. */
function checkScript(health: AppHealth, liveness: string): string[] {
  const readiness = health.readiness.map((probe) => shellJoin(healthcheckArgv(probe)));
  const lines = [liveness, `: >${liveMarker}`];
  if (readiness.length > 0) lines.push(readiness.join(" && "));
  return ["/bin/sh", "-c", lines.join("\n")];
}

/**
 * How often a starting instance is checked. A cell uses the rep's `unhealthy_monitoring_interval`
 * (an operator setting, 0.5 s by default); restager checks more often, so that `launch` returns
 * as soon as the app answers.
 */
export const startupCheckIntervalMs = 20;

/**
 * The start-up check as the executor runs it for a check definition: one healthcheck process per
 * probe in startup mode (`-startup-interval`, `-startup-timeout`: it tries until a check passes
 * or the timeout ends it) rather than one process per try; then, as in readyCheckArgv, the live
 * marker and one try of each readiness check. A recorded `monitor` whose runs are all the
 * lifecycle's healthcheck gets the same flags after its own arguments (the executor of that era
 * ran it once per try; the result is the same, sooner). undefined for other monitors (run as
 * recorded: readyCheckArgv) and for no check at all. When it fails before the start timeout
 * (readiness not there yet, a healthcheck binary without these flags), `launch` goes on with
 * readyCheckArgv.
 */
export function startupCheckArgv(health: AppHealth, timeoutMs: number): string[] | undefined {
  if (health.commands.length === 0) return undefined;
  if (health.commands.some((argv) => argv[0] !== healthcheckPath)) return undefined;
  const startup = health.commands.map((argv) =>
    shellJoin([
      ...argv,
      `-startup-interval=${startupCheckIntervalMs}ms`,
      `-startup-timeout=${Math.max(1, Math.round(timeoutMs))}ms`,
    ]),
  );
  return checkScript(health, `${startup.join(" && ")} || exit $?`);
}
