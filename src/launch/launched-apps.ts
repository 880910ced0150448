import type { AppRuntime, ListedAppContainer } from "../container/app-runtime.js";
import { LabelKey } from "../core/labels.js";
import type { SwarmRuntime, SwarmService } from "../container/swarm-runtime.js";
import { AppLabelKey } from "./app-labels.js";

/** One container of a launched app, as `restager ps` shows it. */
export interface LaunchedInstance {
  /** The instance index; for a Swarm task, its slot minus one. */
  index: number;
  container: ListedAppContainer;
}

export interface LaunchedApp {
  guid: string;
  name?: string | undefined;
  processGuid?: string | undefined;
  instances: LaunchedInstance[];
  /** Swarm services restager created for the app. */
  services: SwarmService[];
}

const appFilter = [`${LabelKey.managed}=true`, `${LabelKey.kind}=app`];

/** Every app restager launched on this engine, running or not, sorted by name. */
export async function listLaunchedApps(
  runtime: Pick<AppRuntime, "listApps">,
  swarm?: Pick<SwarmRuntime, "listServices">,
): Promise<LaunchedApp[]> {
  const apps = new Map<string, LaunchedApp>();
  const entry = (labels: Record<string, string>): LaunchedApp => {
    const guid = labels[LabelKey.appGuid] ?? "(unknown)";
    let app = apps.get(guid);
    if (!app) {
      app = {
        guid,
        name: labels[LabelKey.appName],
        processGuid: labels[AppLabelKey.processGuid],
        instances: [],
        services: [],
      };
      apps.set(guid, app);
    }
    return app;
  };
  for (const container of await runtime.listApps(appFilter)) {
    entry(container.labels).instances.push({ index: instanceIndex(container), container });
  }
  for (const service of swarm ? await swarm.listServices(appFilter) : [])
    entry(service.labels).services.push(service);
  for (const app of apps.values())
    app.instances.sort(
      (a, b) => a.index - b.index || a.container.createdMs - b.container.createdMs,
    );
  return [...apps.values()].sort((a, b) => (a.name ?? a.guid).localeCompare(b.name ?? b.guid));
}

function instanceIndex(container: ListedAppContainer): number {
  const label = container.labels[AppLabelKey.instanceIndex];
  if (label !== undefined) return Number(label);
  // Swarm task containers: `<service>.<slot>.<task id>`.
  const slot = /\.(\d+)\.[^.]+$/.exec(container.labels["com.docker.swarm.task.name"] ?? "")?.[1];
  return slot === undefined ? 0 : Number(slot) - 1;
}

/** Whether `query` names the app: its name, app guid or process guid. */
export function appMatches(app: LaunchedApp, query: string): boolean {
  return app.name === query || app.guid === query || app.processGuid === query;
}
