/**
 * The start-up check tried from restager's side (StartedInstance.startupCheck). The lifecycle's
 * healthcheck dials the container's own address, which an engine on this host routes here too:
 * restager dials it itself, every probeIntervalMs, with the same probes, headers and
 * timeouts, until every probe passes, the start timeout ends, or the container stops. That
 * spares a `docker exec` (about 0.1 s of the engine's and the kernel's work, taken from the
 * app's own start) and tells the moment the app answers. When this side cannot decide (a remote
 * engine, no route, a redirect off plain HTTP) it says "unreachable" and the caller asks the
 * binary in the container instead; at the start timeout the binary is asked once, so that the
 * verdict and its wording are the binary's own.
 *
 * A pass writes the live marker the in-container check would have written (the liveness check
 * relies on it, container-healthcheck.ts), owned like the start script's marker, before
 * `launch` goes on; where that cannot be done from here, the binary is asked in the container
 * (it passes at once, and writes the marker itself).
 */
import type { AppRuntime, CheckResult, ProbeResult } from "../container/app-runtime.js";
import type { AppPlan } from "./app-plan.js";
import type { Probe } from "./app-health.js";
import { liveMarker, startedMarker } from "./container-healthcheck.js";
import { pause } from "../core/pause.js";

/**
 * Between two tries. A try is a connection from this host that the app refuses until it
 * listens, cheap for both sides, so restager tries often: `launch` returns sooner.
 */
const probeIntervalMs = 10;

/** Tries between two looks at whether the container still runs. */
const triesPerLook = 10;

export type StartupProbe = CheckResult | "unreachable";

/** Whether the app's start-up check can be tried from restager's side at all. */
export function probedFromHere(app: AppPlan): boolean {
  // Readiness decides routability with checks of its own: those stay in the container.
  return app.health.probes.length > 0 && app.health.readiness.length === 0;
}

export async function probeStartup(
  instance: { id: string; app: AppPlan },
  runtime: AppRuntime,
  signal?: AbortSignal,
): Promise<StartupProbe> {
  const { id, app } = instance;
  const deadline = Date.now() + app.startTimeoutMs;
  const { ip } = await runtime.inspectApp(id);
  if (ip === undefined) return "unreachable";
  let lastFailure = "";
  for (let tries = 1; !signal?.aborted; tries++) {
    const results = await Promise.all(
      app.health.probes.map((probe) => runtime.probeApp(appProbe(ip, probe), signal)),
    );
    const verdict = judgeProbes(results);
    if (verdict === "unreachable") return verdict;
    if (verdict === "passed") return markedLive(instance, runtime, signal);
    lastFailure = verdict.message;
    if (Date.now() >= deadline) return askTheBinary(instance, runtime, signal);
    if (tries % triesPerLook === 0 && !(await stillRuns(id, runtime))) break;
    await pause(probeIntervalMs, signal);
  }
  return { exitCode: -1, output: lastFailure };
}

function appProbe(ip: string, probe: Probe) {
  const path = probe.kind === "http" ? (probe.path ?? "/") : undefined;
  return { ip, port: probe.port, path, timeoutMs: probe.timeoutMs ?? 1_000 };
}

function judgeProbes(
  results: readonly ProbeResult[],
): "passed" | "unreachable" | { message: string } {
  if (results.some((result) => result.outcome === "unreachable")) return "unreachable";
  const failed = results.find((result) => result.outcome === "failed");
  return failed?.outcome === "failed" ? { message: failed.message } : "passed";
}

async function markedLive(
  instance: { id: string; app: AppPlan },
  runtime: AppRuntime,
  signal?: AbortSignal,
): Promise<CheckResult> {
  const marker = { path: liveMarker, ownerOf: startedMarker };
  if (await runtime.touchFile(instance.id, marker)) return { exitCode: 0, output: "" };
  return askTheBinary(instance, runtime, signal);
}

async function askTheBinary(
  instance: { id: string; app: AppPlan },
  runtime: AppRuntime,
  signal?: AbortSignal,
): Promise<CheckResult> {
  const { id, app } = instance;
  if (!app.readyCheck) return { exitCode: -1, output: "" };
  return runtime.runCheck(id, { argv: app.readyCheck, user: app.user }, signal);
}

async function stillRuns(id: string, runtime: AppRuntime): Promise<boolean> {
  const state = await runtime.inspectApp(id);
  return state.running && !state.restarting;
}
