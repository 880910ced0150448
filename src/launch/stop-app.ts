import type { AppRuntime } from "../container/app-runtime.js";
import type { SwarmRuntime } from "../container/swarm-runtime.js";
import { NoInputError } from "../errors.js";
import { appMatches, listLaunchedApps } from "./launched-apps.js";

export interface StopResult {
  containers: number;
  services: number;
}

export interface StopDeps {
  runtime: AppRuntime;
  swarm?: SwarmRuntime | undefined;
  /** How long to wait for a removed service's containers to go. */
  serviceDrainMs?: number | undefined;
}

/**
 * Stops and removes every container and Swarm service restager launched for an app, named by
 * its name, app guid or process guid. Services go first (Swarm would replace their containers),
 * and their containers are waited for; the rest are stopped in parallel with Diego's 10 s
 * grace period (TERM, then KILL).
 */
export async function stopApp(query: string, deps: StopDeps): Promise<StopResult> {
  const apps = (await listLaunchedApps(deps.runtime, deps.swarm)).filter((a) =>
    appMatches(a, query),
  );
  if (apps.length === 0) {
    throw new NoInputError(`No app named '${query}' was launched by restager on this engine`, {
      hint: "Run 'restager ps' to see the launched apps (name, app guid or process guid)",
    });
  }
  const services = apps.flatMap((app) => app.services);
  for (const service of services) await deps.swarm?.removeService(service.id);
  if (services.length > 0)
    await drainServices(
      services.map((s) => s.id),
      deps,
    );
  const containers = apps
    .flatMap((app) => app.instances.map((i) => i.container))
    .filter((c) => c.labels["com.docker.swarm.service.id"] === undefined);
  await Promise.all(containers.map((c) => deps.runtime.stopAndRemove(c.id, 10)));
  const swarmContainers = apps.flatMap((app) => app.instances).length - containers.length;
  return { containers: containers.length + swarmContainers, services: services.length };
}

async function drainServices(ids: string[], deps: StopDeps): Promise<void> {
  const deadline = Date.now() + (deps.serviceDrainMs ?? 30_000);
  for (;;) {
    const lists = await Promise.all(
      ids.map((id) => deps.runtime.listApps([`com.docker.swarm.service.id=${id}`])),
    );
    const remaining = lists.flat();
    if (remaining.length === 0 || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
