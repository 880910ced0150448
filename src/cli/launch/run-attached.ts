import type { AppRuntime, LogLine } from "../../container/app-runtime.js";
import { messages } from "../../diego/messages.js";
import type { AppPlan } from "../../launch/app-plan.js";
import { findFreePort } from "../../launch/host-ports.js";
import { removeInstances } from "../../launch/launch-app.js";
import { startInstances, type StartedInstance } from "../../launch/start-instances.js";
import { waitForInstances } from "../../launch/wait-instances.js";
import type { Output } from "../output.js";
import type { CertificateAuthority } from "../../pki/ports.js";
import { interruptSignal } from "../restage/interrupt-signal.js";
import { launchStatus } from "./launch-status.js";
import { logLineText, reportLaunch } from "./report-launch.js";

export interface AttachedLaunch {
  plan: AppPlan;
  runtime: AppRuntime;
  secrets: readonly string[];
  /** Issues the instance identities (AppPlan.cell). */
  ca?: CertificateAuthority | undefined;
}

/**
 * `launch --attach`: starts the instances, streams every instance's logs to stdout as
 * `[APP/PROC/WEB/<index>] OUT|ERR line` until Ctrl-C (or until every instance exited), then
 * stops and removes them. Ctrl-C is the expected way to end it, so it exits 0; it exits 1 when
 * an instance crashed while starting or every instance exited on its own.
 */
export async function runAttached(output: Output, attached: AttachedLaunch): Promise<number> {
  // Bound: the instances go with this process, even when it is killed (AppPlan.boundToOwner).
  const launch = { ...attached, plan: { ...attached.plan, boundToOwner: true } };
  const { plan, runtime } = launch;
  const status = await output.statusLine();
  const interrupt = interruptSignal((signal) =>
    status.above(() => output.info(`Received ${signal}: stopping and removing the instances...`)),
  );
  const follow = new AbortController();
  const onEvent = launchStatus(status, plan.app.name ?? plan.app.guid);
  const deps = { runtime, findPort: findFreePort, onEvent, ca: attached.ca };
  const began = performance.now();
  let started: StartedInstance[] = [];
  try {
    started = await startInstances(plan, deps, interrupt.signal);
    const streams = Promise.all(started.map((s) => streamLogs(output, launch, s, follow.signal)));
    const outcomes = await waitForInstances(plan, started, deps, interrupt.signal);
    status.stop();
    const elapsedMs = performance.now() - began;
    const code = reportLaunch(output, {
      ...launch,
      outcomes,
      host: runtime.publishedHost,
      elapsedMs,
      attached: true,
    });
    if (code !== 0) return code;
    await Promise.race([streams, aborted(interrupt.signal)]);
    if (interrupt.received()) return 0;
    output.error("Every instance exited");
    return 1;
  } catch (error) {
    if (interrupt.received()) return 0;
    throw error;
  } finally {
    status.stop();
    follow.abort();
    await removeInstances(started, deps);
    interrupt.dispose();
  }
}

/** Never rejects: a log stream that breaks ends that instance's lines, not the session. */
async function streamLogs(
  output: Output,
  { plan, runtime, secrets }: AttachedLaunch,
  instance: StartedInstance,
  signal: AbortSignal,
): Promise<void> {
  const index = instance.plan.index;
  const print = (line: LogLine) => output.result(logLineText(plan, index, line, secrets));
  try {
    await runtime.followLogs(instance.id, print, signal);
  } catch (error) {
    output.debug("follow-logs-failed", { index, error: String(error) });
    return;
  }
  if (signal.aborted) return;
  const state = await runtime.inspectApp(instance.id).catch(() => undefined);
  if (state && !state.running) {
    const reason = messages.exitedWithStatus(plan.logSource, state.exitCode, state.oomKilled);
    output.error(`Instance ${index} exited: ${reason}`);
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
