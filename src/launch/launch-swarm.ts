import type { SwarmRuntime, SwarmTask } from "../container/swarm-runtime.js";
import { UnavailableError } from "../errors.js";
import type { AppPlan } from "./app-plan.js";
import type { FreePortFinder } from "./host-ports.js";
import { swarmPorts, swarmServiceSpec, type PublishMode } from "./swarm-plan.js";
import { cancellation } from "../core/cancellation.js";

export interface SwarmLaunchDeps {
  swarm: SwarmRuntime;
  findPort: FreePortFinder;
  onWaiting?: ((running: number, total: number) => void) | undefined;
  pollMs?: number | undefined;
}

export interface SwarmOutcome {
  serviceId: string;
  serviceName: string;
  /** The service's tasks that should run, by slot. */
  tasks: SwarmTask[];
  running: number;
  /** Ingress-published ports ({target, published}); host-mode ones are on each task. */
  ingressPorts: { target: number; published: number }[];
}

/**
 * Creates the app's Swarm service and waits until as many tasks run as the LRP has instances
 * (a task with a health check only reaches "running" once healthy), or the start timeout
 * passed. The service is left in place either way; `restager stop` removes it. Interrupted
 * while waiting, it removes the service first.
 */
export async function launchSwarm(
  app: AppPlan,
  mode: PublishMode,
  deps: SwarmLaunchDeps,
  signal?: AbortSignal,
): Promise<SwarmOutcome> {
  if ((await deps.swarm.swarmState()) !== "active") {
    throw new UnavailableError("This Docker engine is not part of a swarm", {
      hint: "Run 'docker swarm init' (one node: docker swarm init --advertise-addr 127.0.0.1)",
    });
  }
  const ports = await swarmPorts(app, mode, deps.findPort);
  const spec = swarmServiceSpec(app, ports);
  const serviceId = await deps.swarm.createService(spec);
  try {
    const tasks = await waitForTasks(app, serviceId, deps, signal);
    const running = tasks.filter(isRunning).length;
    const ingressPorts = ports.flatMap((p) =>
      p.mode === "ingress" && p.published ? [{ target: p.target, published: p.published }] : [],
    );
    return { serviceId, serviceName: spec.name, tasks, running, ingressPorts };
  } catch (error) {
    await deps.swarm.removeService(serviceId).catch(() => undefined);
    throw error;
  }
}

async function waitForTasks(
  app: AppPlan,
  serviceId: string,
  deps: SwarmLaunchDeps,
  signal?: AbortSignal,
): Promise<SwarmTask[]> {
  const deadline = Date.now() + app.startTimeoutMs;
  for (;;) {
    if (signal?.aborted) throw cancellation(signal);
    const tasks = currentTasks(await deps.swarm.serviceTasks(serviceId));
    const running = tasks.filter(isRunning).length;
    deps.onWaiting?.(running, app.instances);
    if (running >= app.instances || Date.now() >= deadline) return tasks;
    await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 500));
  }
}

/** One task per slot: the newest that should run (a restarted slot keeps its failed tasks). */
function currentTasks(tasks: SwarmTask[]): SwarmTask[] {
  const bySlot = new Map<number, SwarmTask>();
  for (const task of tasks) {
    const known = bySlot.get(task.slot);
    if (!known || (known.desiredState !== "running" && task.desiredState === "running")) {
      bySlot.set(task.slot, task);
    }
  }
  return [...bySlot.values()].sort((a, b) => a.slot - b.slot);
}

function isRunning(task: SwarmTask): boolean {
  return task.state === "running" && task.desiredState === "running";
}
