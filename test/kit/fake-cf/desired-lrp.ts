/**
 * Builds a DesiredLRP (raw snake_case BBS JSON) as nsync built it in the cc-bridge era
 * (docs/diego.md §4.3), running a droplet served by a FakeCf.
 */
import {
  appHostname,
  cfAppEnv,
  derivedGuid,
  egressRules,
  LIFECYCLE_PATH,
  lifecycleDependency,
  type EnvVar,
} from "./app-env.js";
import type { FakeCfEndpoints } from "./fake-cf-options.js";
import { codependent, parallel, run, serial, type ActionJson } from "./task-actions.js";

export interface DesiredLrpOptions {
  endpoints: FakeCfEndpoints;
  appGuid: string;
  appName: string;
  /** `<app guid>-<version guid>`; default derived from the app guid. */
  processGuid?: string;
  /** Where the droplet is downloaded from, e.g. `/internal/v2/droplets/<guid>/<sha1>/download` on the fake CC. */
  dropletUrl: string;
  startCommand: string;
  /** Default 1. */
  instances?: number;
  /** Default [8080]. */
  ports?: number[];
  /** Default `{ type: "port" }`; `none` leaves out the monitor. */
  healthCheck?: { type: "port" } | { type: "http"; endpoint: string } | { type: "none" };
  /** Extra app env, after CC's and before PORT. */
  env?: EnvVar[];
  /** Default cflinuxfs4. */
  stack?: string;
  memoryMb?: number;
  diskMb?: number;
  /** Default: the file server's lifecycle path. */
  lifecycleUrl?: string;
  /** The droplet's sha256, as Cloud Controller records it since v3 (checksum_algorithm/value). */
  dropletSha256?: string;
}

export type DesiredLrpJson = Record<string, unknown>;

export function buildDesiredLrp(options: DesiredLrpOptions): DesiredLrpJson {
  const { appGuid, appName } = options;
  const processGuid = options.processGuid ?? `${appGuid}-${derivedGuid(appGuid, "version")}`;
  const [memoryMb, diskMb] = [options.memoryMb ?? 1024, options.diskMb ?? 1024];
  const ports = options.ports ?? [8080];
  const stack = options.stack ?? "cflinuxfs4";
  const monitor = monitorOf(options.healthCheck ?? { type: "port" }, ports);
  const dropletDownload = {
    from: options.dropletUrl,
    to: ".",
    cache_key: `droplets-${processGuid}`,
    user: "vcap",
    ...(options.dropletSha256 === undefined
      ? {}
      : { checksum_algorithm: "sha256", checksum_value: options.dropletSha256 }),
  };
  return {
    process_guid: processGuid,
    domain: "cf-apps",
    rootfs: `preloaded:${stack}`,
    instances: options.instances ?? 1,
    env: [{ name: "LANG", value: "en_US.UTF-8" }],
    setup: serial({ download: dropletDownload }),
    action: codependent(launcher(options, { memoryMb, diskMb }, ports)),
    start_timeout: 60,
    ...(monitor === undefined ? {} : { monitor }),
    disk_mb: diskMb,
    memory_mb: memoryMb,
    cpu_weight: memoryMb > 8192 ? 100 : Math.floor((100 * Math.max(memoryMb, 128)) / 8192),
    privileged: true,
    ports,
    routes: {
      "cf-router": [{ hostnames: [appHostname(appName)], port: ports[0] ?? 8080 }],
      "tcp-router": [],
    },
    ...bookkeeping(options, stack),
  };
}

/** Logging, networking and lifecycle fields that do not depend on the app's shape. */
function bookkeeping(options: DesiredLrpOptions, stack: string): DesiredLrpJson {
  const { appGuid, endpoints } = options;
  const lifecycleUrl =
    options.lifecycleUrl ?? `${endpoints.fileServer}/v1/static/${LIFECYCLE_PATH}`;
  return {
    log_source: "CELL",
    log_guid: appGuid,
    metrics_guid: appGuid,
    annotation: (Date.now() / 1000).toFixed(7),
    egress_rules: egressRules(),
    cached_dependencies: [lifecycleDependency(lifecycleUrl, stack)],
    legacy_download_user: "vcap",
    trusted_system_certificates_path: "/etc/cf-system-certificates",
    network: {
      properties: {
        app_id: appGuid,
        org_id: derivedGuid(appGuid, "org"),
        space_id: derivedGuid(appGuid, "space"),
      },
    },
  };
}

/** The launcher run: CC's env, the extra vars, then PORT (nsync's addition). */
function launcher(
  options: DesiredLrpOptions,
  sizes: { memoryMb: number; diskMb: number },
  ports: number[],
): ActionJson {
  const app = { appGuid: options.appGuid, appName: options.appName, ...sizes };
  const env = [
    ...cfAppEnv(app, derivedGuid(options.appGuid, "version")),
    ...(options.env ?? []),
    { name: "PORT", value: String(ports[0] ?? 8080) },
  ];
  return run("/tmp/lifecycle/launcher", ["app", options.startCommand, ""], {
    env,
    log_source: "APP",
  });
}

/** `timeout(30 s) { parallel [healthcheck per port] }` (nsync, 2016), none for type `none`. */
function monitorOf(
  check: NonNullable<DesiredLrpOptions["healthCheck"]>,
  ports: number[],
): ActionJson | undefined {
  if (check.type === "none") return undefined;
  const checks = ports.map((port) => {
    const args =
      check.type === "http" ? [`-port=${port}`, `-uri=${check.endpoint}`] : [`-port=${port}`];
    const healthcheck = {
      path: "/tmp/lifecycle/healthcheck",
      args,
      resource_limits: { nofile: 1024 },
      user: "vcap",
      log_source: "HEALTH",
      suppress_log_output: true,
    };
    return { run: healthcheck };
  });
  return { timeout: { action: parallel(...checks), timeout: 30_000_000_000 } };
}
