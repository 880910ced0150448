import type { AppPlan } from "../../launch/app-plan.js";
import type { InstanceOutcome } from "../../launch/instance-outcome.js";
import {
  startInstances,
  type StartDeps,
  type StartedInstance,
} from "../../launch/start-instances.js";
import { waitForInstances, type WaitDeps } from "../../launch/wait-instances.js";

export type LaunchDeps = StartDeps & WaitDeps;

/**
 * Runs an app's instances as a Diego cell would and waits until each is running or crashed.
 * Running instances are left running (detached); crashed ones are stopped and kept for their
 * logs. When the wait is interrupted, every instance is removed before the error is rethrown.
 */
export async function launchInstances(
  app: AppPlan,
  deps: LaunchDeps,
  signal?: AbortSignal,
): Promise<InstanceOutcome[]> {
  const started = await startInstances(app, deps, signal);
  try {
    return await waitForInstances({ app, started, signal }, deps);
  } catch (error) {
    await removeInstances(started, deps);
    throw error;
  }
}

/** Stops (TERM, KILL after 10 s, Diego's grace period) and removes instances; best effort. */
export async function removeInstances(
  started: readonly Pick<StartedInstance, "id">[],
  deps: Pick<LaunchDeps, "runtime">,
  timeoutS = 10,
): Promise<void> {
  await Promise.all(
    started.map((instance) =>
      deps.runtime.stopAndRemove(instance.id, timeoutS).catch(() => undefined),
    ),
  );
}
