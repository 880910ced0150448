import { portUrl } from "../../launch/instance-urls.js";
import type { LaunchedApp } from "../../launch/launched-apps.js";
import type { Output } from "../output.js";

/** `restager ps`: one block per app, one line per instance (or --json). */
export function printLaunchedApps(output: Output, apps: LaunchedApp[], host: string): void {
  if (output.json) {
    output.result(
      JSON.stringify(
        apps.map((app) => appJson(app, host)),
        null,
        2,
      ),
    );
    return;
  }
  if (apps.length === 0) {
    output.info("No launched apps. Start one with 'restager launch <desired LRP>'");
    return;
  }
  for (const app of apps) {
    output.result(`${app.name ?? "(no name)"}  ${app.guid}`);
    for (const service of app.services) {
      output.result(`  swarm service ${service.name} (${service.replicas} replicas)`);
    }
    for (const { index, container } of app.instances) {
      const urls = container.ports.map((p) => portUrl(p, host)).join(" ") || "-";
      const age = formatAge(Date.now() - container.createdMs);
      output.result(
        `  #${index}  ${container.status.padEnd(24)}  ${urls}  ${container.image}  ${age}  ${container.name}`,
      );
    }
  }
}

export function appJson(app: LaunchedApp, host: string) {
  return {
    name: app.name ?? null,
    guid: app.guid,
    process_guid: app.processGuid ?? null,
    services: app.services.map((s) => ({ id: s.id, name: s.name, replicas: s.replicas })),
    instances: app.instances.map(({ index, container }) => ({
      index,
      id: container.id,
      name: container.name,
      state: container.state,
      status: container.status,
      image: container.image,
      created_at: new Date(container.createdMs).toISOString(),
      urls: container.ports.map((p) => portUrl(p, host)),
    })),
  };
}

function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}
