import type { AppContainerState, AppRuntime } from "../container/app-runtime.js";
import { formatGoDuration, messages } from "../diego/messages.js";
import type { AppPlan } from "./app-plan.js";
import type { InstanceOutcome } from "./instance-outcome.js";
import type { LaunchEvent } from "./launch-events.js";
import type { StartedInstance } from "./start-instances.js";
import { sidecarExitReason } from "./process-logs.js";
import { cancellation } from "../core/cancellation.js";
import { pause } from "../core/pause.js";

export interface WaitDeps {
  runtime: AppRuntime;
  onEvent?: ((event: LaunchEvent) => void) | undefined;
  /** Between two looks at the instances. */
  pollMs?: number | undefined;
  /** Without a health check, how long an instance must stay up to count as running. */
  graceMs?: number | undefined;
}

/** How many log lines a crash report shows. */
export const crashLogLines = 10;

type Verdict =
  | { state: "pending" }
  | { state: "running" }
  | { state: "crashed"; reason: string; exited?: boolean };

/**
 * Waits until every instance is running (its ready check passed, or up for a short grace
 * without a health check) or crashed (exited), or the start timeout passed: then the rest
 * crashed with Diego's "Instance never healthy after ..." reason. The check is run here rather
 * than read from Docker's health status, so `launch` returns as soon as the app answers instead
 * of after Docker's next interval: first the start-up check started when the app was released
 * (StartedInstance.startupCheck: tried from restager's side, startup-probe.ts, or the
 * healthcheck binary in startup mode run with docker exec, as the executor runs it), then, if
 * that ended early without a verdict, the binary once per poll. Running instances get restarts
 * turned on; crashed instances that still run are stopped (Diego destroys them) but kept, so
 * their logs stay readable; their last lines are read.
 */
export async function waitForInstances(
  launch: { app: AppPlan; started: readonly StartedInstance[]; signal?: AbortSignal | undefined },
  deps: WaitDeps,
): Promise<InstanceOutcome[]> {
  const { app, started, signal } = launch;
  const began = Date.now();
  const deadline = began + app.startTimeoutMs;
  const outcomes = new Map<number, InstanceOutcome>();
  const lastOutput = new Map<number, string>();
  const startupRan = new Set<number>();
  while (outcomes.size < started.length) {
    if (signal?.aborted) throw cancellation(signal);
    const pending = started.filter((instance) => !outcomes.has(instance.plan.index));
    deps.onEvent?.({ kind: "waiting", pending: pending.length, total: started.length });
    const timedOut = Date.now() >= deadline;
    await Promise.all(
      pending.map(async (instance) => {
        const graceMs = deps.graceMs ?? 1_000;
        const context = { timedOut, deadline, app, graceMs, lastOutput, startupRan, signal };
        const { verdict } = await judge(instance, deps.runtime, context);
        if (verdict.state === "pending") return;
        const outcome = await settle(instance, verdict, { runtime: deps.runtime, app });
        outcomes.set(instance.plan.index, outcome);
        deps.onEvent?.({ kind: "settled", outcome });
      }),
    );
    if (outcomes.size < started.length) await pause(deps.pollMs ?? 250, signal);
  }
  return started.flatMap((instance) => outcomes.get(instance.plan.index) ?? []);
}

interface JudgeContext {
  timedOut: boolean;
  deadline: number;
  app: AppPlan;
  graceMs: number;
  /** The last failed check's output per instance index. */
  lastOutput: Map<number, string>;
  /** The instances whose start-up check (StartedInstance.startupCheck) was judged already. */
  startupRan: Set<number>;
  signal?: AbortSignal | undefined;
}

async function judge(
  instance: StartedInstance,
  runtime: AppRuntime,
  context: JudgeContext,
): Promise<{ verdict: Verdict; state: AppContainerState }> {
  const { app } = context;
  const state = await runtime.inspectApp(instance.id);
  const exited = exitedVerdict(app, state);
  if (exited) return { verdict: exited, state };
  const index = instance.plan.index;
  if (app.readyCheck) {
    const startup = context.startupRan.has(index) ? undefined : instance.startupCheck;
    context.startupRan.add(index);
    const argv = app.readyCheck;
    const check = await (startup ??
      runtime.runCheck(instance.id, { argv, user: app.user }, context.signal));
    if (check.exitCode === 0) return { verdict: { state: "running" }, state };
    context.lastOutput.set(index, check.output);
    // The start-up check ran until it passed, the start timeout, or the instance's end.
    if (startup) return judgeAfterStartup(instance, runtime, context);
  } else if (Date.now() - instance.startedAtMs >= context.graceMs) {
    return { verdict: { state: "running" }, state };
  }
  if (!context.timedOut) return { verdict: { state: "pending" }, state };
  return { verdict: { state: "crashed", reason: neverHealthy(app, context, instance) }, state };
}

async function judgeAfterStartup(
  instance: StartedInstance,
  runtime: AppRuntime,
  context: JudgeContext,
): Promise<{ verdict: Verdict; state: AppContainerState }> {
  const { app } = context;
  const state = await runtime.inspectApp(instance.id);
  const exited = exitedVerdict(app, state);
  if (exited) return { verdict: exited, state };
  if (Date.now() < context.deadline) return { verdict: { state: "pending" }, state };
  return { verdict: { state: "crashed", reason: neverHealthy(app, context, instance) }, state };
}

/** Crashed with Diego's exit reason when the container no longer runs; undefined while it runs. */
function exitedVerdict(app: AppPlan, state: AppContainerState): Verdict | undefined {
  if (state.running && !state.restarting) return undefined;
  const reason = messages.exitedWithStatus(app.logSource, state.exitCode, state.oomKilled);
  return { state: "crashed", reason, exited: true };
}

function neverHealthy(app: AppPlan, context: JudgeContext, instance: StartedInstance): string {
  const after = formatGoDuration(app.startTimeoutMs);
  return `Instance never healthy after ${after}${detail(context.lastOutput.get(instance.plan.index))}`;
}

/** The health check's failure: its last output line (the binary prints the reason last). */
function detail(output: string | undefined): string {
  const lines = (output ?? "").split("\n").filter((line) => line.trim() !== "");
  const last = lines.at(-1)?.trim();
  return last ? `: ${last}` : "";
}

async function settle(
  instance: StartedInstance,
  verdict: Exclude<Verdict, { state: "pending" }>,
  { runtime, app }: { runtime: AppRuntime; app: AppPlan },
): Promise<InstanceOutcome> {
  const { plan } = instance;
  const base = {
    index: plan.index,
    guid: plan.guid,
    id: instance.id,
    name: plan.name,
    ports: plan.ports,
  };
  if (verdict.state === "running") {
    // A bound instance (launch --attach) stays without restarts: see AppPlan.boundToOwner.
    if (app.boundToOwner !== true && !(await runtime.enableRestarts(instance.id))) {
      // It exited between its passed check and now (a codependent process ended): crashed.
      const state = await runtime.inspectApp(instance.id);
      const reason = messages.exitedWithStatus(app.logSource, state.exitCode, state.oomKilled);
      return settle(instance, { state: "crashed", reason, exited: true }, { runtime, app });
    }
    return {
      ...base,
      state: "running",
      readyAfterMs: Date.now() - instance.startedAtMs,
      lastLines: [],
    };
  }
  await runtime.stopApp(instance.id, 10);
  const lastLines = await runtime.tailLogs(instance.id, crashLogLines);
  const reason = (verdict.exited && sidecarExitReason(lastLines, app)) || verdict.reason;
  return { ...base, state: "crashed", reason, lastLines };
}
