import type { LogLine } from "../../container/app-runtime.js";
import { messages } from "../../diego/messages.js";
import type { AppPlan } from "../../launch/app-plan.js";
import { findFreePort } from "../../launch/host-ports.js";
import type { LaunchEvent } from "../../launch/launch-events.js";
import { startInstances, type StartedInstance } from "../../launch/start-instances.js";
import { waitForInstances } from "../../launch/wait-instances.js";
import { removeInstances } from "./launch-instances.js";
import { instancesExitCode, type LaunchReport } from "./launch-report.js";
import type { LaunchPorts } from "./launch-request.js";
import { logLineText } from "./log-line-text.js";
import type { CellFileWriters } from "../../launch/instance-credentials.js";

export interface AttachedLaunch {
  plan: AppPlan;
  secrets: readonly string[];
  /** Issues the instance identities (AppPlan.cell). */
  identities?: CellFileWriters["identities"];
  archives?: CellFileWriters["archives"] | undefined;
}

/**
 * `launch --attach`: starts the instances, streams every instance's logs as
 * `[APP/PROC/WEB/<index>] OUT|ERR line` (log-line events) until interrupted (or until every
 * instance exited), then stops and removes them. The instances' report is an `attached` event,
 * before the logs. An interrupt is the expected way to end it, so it ends 0; it ends 1 when an
 * instance crashed while starting or every instance exited on its own.
 */
export async function runAttached(
  attached: AttachedLaunch,
  ports: LaunchPorts,
): Promise<LaunchReport> {
  // Bound: the instances go with this process, even when it is killed (AppPlan.boundToOwner).
  const launch = { ...attached, plan: { ...attached.plan, boundToOwner: true } };
  const { plan } = launch;
  const { onProgress } = ports;
  const runtime = ports.runtime();
  const interrupt = ports.interruption("stopping and removing the instances");
  const follow = new AbortController();
  const app = plan.app.name ?? plan.app.guid;
  const onEvent = (event: LaunchEvent) => onProgress({ kind: "instances", app, event });
  const deps = { runtime, findPort: findFreePort, onEvent, ...cellWriters(attached) };
  const began = performance.now();
  let started: StartedInstance[] = [];
  try {
    started = await startInstances(plan, deps, interrupt.signal);
    const streams = Promise.all(
      started.map((s) => streamLogs(launch, { instance: s, signal: follow.signal }, ports)),
    );
    const outcomes = await waitForInstances({ app: plan, started, signal: interrupt.signal }, deps);
    onProgress({ kind: "phase-end" });
    const elapsedMs = performance.now() - began;
    const report = { ...launch, outcomes, host: runtime.publishedHost, elapsedMs, attached: true };
    onProgress({ kind: "attached", report });
    const code = instancesExitCode(outcomes);
    if (code !== 0) return { kind: "attached", exitCode: code };
    await Promise.race([streams, aborted(interrupt.signal)]);
    if (interrupt.received()) return { kind: "attached", exitCode: 0 };
    onProgress({ kind: "error", text: "Every instance exited" });
    return { kind: "attached", exitCode: 1 };
  } catch (error) {
    if (interrupt.received()) return { kind: "attached", exitCode: 0 };
    throw error;
  } finally {
    onProgress({ kind: "phase-end" });
    follow.abort();
    await removeInstances(started, deps);
    interrupt.dispose();
  }
}

/** Never rejects: a log stream that breaks ends that instance's lines, not the session. */
async function streamLogs(
  { plan, secrets }: AttachedLaunch,
  { instance, signal }: { instance: StartedInstance; signal: AbortSignal },
  ports: Pick<LaunchPorts, "runtime" | "onProgress">,
): Promise<void> {
  const { onProgress } = ports;
  const runtime = ports.runtime();
  const index = instance.plan.index;
  const print = (line: LogLine) =>
    onProgress({
      kind: "log-line",
      text: logLineText(plan, { index, line }, secrets),
    });
  try {
    await runtime.followLogs(instance.id, print, signal);
  } catch (error) {
    onProgress({
      kind: "debug",
      event: "follow-logs-failed",
      data: { index, error: String(error) },
    });
    return;
  }
  if (signal.aborted) return;
  const state = await runtime.inspectApp(instance.id).catch(() => undefined);
  if (state && !state.running) {
    const reason = messages.exitedWithStatus(plan.logSource, state.exitCode, state.oomKilled);
    onProgress({ kind: "error", text: `Instance ${index} exited: ${reason}` });
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

function cellWriters(attached: AttachedLaunch) {
  return { identities: attached.identities, archives: attached.archives };
}
