/**
 * The `ps` use case: the apps `launch` started on this engine, with their instances and Swarm
 * services; with `all`, also what restages own or left behind (surveyed by `ports.leftovers`).
 */
import type { AppRuntime } from "../container/app-runtime.js";
import type { SwarmRuntime } from "../container/swarm-runtime.js";
import { listLaunchedApps, type LaunchedApp } from "../launch/launched-apps.js";

export interface PsRequest {
  all: boolean;
}

export interface PsPorts<Leftover> {
  runtime: AppRuntime;
  swarm: SwarmRuntime;
  leftovers: () => Promise<Leftover[]>;
}

export interface PsReport<Leftover> {
  apps: LaunchedApp[];
  /** The engine's host for URLs (AppRuntime.publishedHost). */
  host: string;
  /** With `all` only. */
  leftovers?: Leftover[] | undefined;
}

export async function listLaunched<Leftover>(
  request: PsRequest,
  ports: PsPorts<Leftover>,
): Promise<PsReport<Leftover>> {
  const apps = await listLaunchedApps(ports.runtime, ports.swarm);
  const host = ports.runtime.publishedHost;
  if (!request.all) return { apps, host };
  return { apps, host, leftovers: await ports.leftovers() };
}
