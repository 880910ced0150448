import type { AppContainerState, AppRuntime } from "../container/app-runtime.js";
import { cancellation } from "../container/docker-errors.js";
import { formatGoDuration, messages } from "../diego/messages.js";
import type { AppPlan } from "./app-plan.js";
import type { InstanceOutcome } from "./instance-outcome.js";
import type { LaunchEvent } from "./launch-events.js";
import type { StartedInstance } from "./start-instances.js";

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

type Verdict = { state: "pending" } | { state: "running" } | { state: "crashed"; reason: string };

/**
 * Waits until every instance is running (healthy, or up for a short grace without a health
 * check) or crashed (exited or unhealthy), or the start timeout passed: then the rest crashed
 * with Diego's "Instance never healthy after ..." reason. Crashed instances that still run are
 * stopped (Diego destroys them) but kept, so their logs stay readable; their last lines are read.
 */
export async function waitForInstances(
  app: AppPlan,
  started: readonly StartedInstance[],
  deps: WaitDeps,
  signal?: AbortSignal,
): Promise<InstanceOutcome[]> {
  const began = Date.now();
  const deadline = began + app.startTimeoutMs;
  const outcomes = new Map<number, InstanceOutcome>();
  while (outcomes.size < started.length) {
    if (signal?.aborted) throw cancellation(signal);
    const pending = started.filter((instance) => !outcomes.has(instance.plan.index));
    deps.onEvent?.({ kind: "waiting", pending: pending.length, total: started.length });
    const timedOut = Date.now() >= deadline;
    await Promise.all(
      pending.map(async (instance) => {
        const state = await deps.runtime.inspectApp(instance.id);
        const verdict = judge(state, instance, { timedOut, app, graceMs: deps.graceMs ?? 1_000 });
        if (verdict.state === "pending") return;
        const outcome = await settle(instance, verdict, state, deps.runtime);
        outcomes.set(instance.plan.index, outcome);
        deps.onEvent?.({ kind: "settled", outcome });
      }),
    );
    if (outcomes.size < started.length) await sleep(deps.pollMs ?? 250, signal);
  }
  return started.flatMap((instance) => outcomes.get(instance.plan.index) ?? []);
}

function judge(
  state: AppContainerState,
  instance: StartedInstance,
  context: { timedOut: boolean; app: AppPlan; graceMs: number },
): Verdict {
  if (!state.running) {
    const reason = messages.exitedWithStatus(
      context.app.logSource,
      state.exitCode,
      state.oomKilled,
    );
    return { state: "crashed", reason };
  }
  if (state.health === "healthy") return { state: "running" };
  if (state.health === "unhealthy") {
    return { state: "crashed", reason: `Container became unhealthy${detail(state)}` };
  }
  if (state.health === "none" && Date.now() - instance.startedAtMs >= context.graceMs) {
    return { state: "running" };
  }
  if (!context.timedOut) return { state: "pending" };
  const after = formatGoDuration(context.app.startTimeoutMs);
  return { state: "crashed", reason: `Instance never healthy after ${after}${detail(state)}` };
}

/** The health check's failure: its last output line (the binary prints the reason last). */
function detail(state: AppContainerState): string {
  const lines = (state.lastHealthOutput ?? "").split("\n").filter((line) => line.trim() !== "");
  const last = lines.at(-1)?.trim();
  return last ? `: ${last}` : "";
}

async function settle(
  instance: StartedInstance,
  verdict: Exclude<Verdict, { state: "pending" }>,
  state: AppContainerState,
  runtime: AppRuntime,
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
    return {
      ...base,
      state: "running",
      readyAfterMs: Date.now() - instance.startedAtMs,
      lastLines: [],
    };
  }
  if (state.running) await runtime.stopApp(instance.id, 10);
  const lastLines = await runtime.tailLogs(instance.id, crashLogLines);
  return { ...base, state: "crashed", reason: verdict.reason, lastLines };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
