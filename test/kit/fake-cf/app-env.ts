/** Pieces shared by the staging-task and desired-LRP builders: guids, env, egress rules. */
import { createHash } from "node:crypto";

export interface EnvVar {
  name: string;
  value: string;
}

export interface AppIdentity {
  appGuid: string;
  appName: string;
  /** Default: derived from the app guid (stable, so builders are deterministic). */
  spaceGuid?: string;
  memoryMb: number;
  diskMb: number;
}

/** Path of the lifecycle tarball on the file server, as Diego's file server publishes it. */
export const LIFECYCLE_PATH = "buildpack_app_lifecycle/buildpack_app_lifecycle.tgz";

export const FILE_DESCRIPTORS = 16384;

/** A deterministic GUID-shaped value from a seed (for space/version guids nobody checks). */
export function derivedGuid(seed: string, label: string): string {
  const hex = createHash("sha256").update(`${label}:${seed}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The app's public route hostname in the fake's made-up domain. */
export function appHostname(appName: string): string {
  return `${appName}.fake-cf.test`;
}

/** VCAP_APPLICATION, MEMORY_LIMIT and VCAP_SERVICES as CC sends them (docs/diego.md §2.3). */
export function cfAppEnv(app: AppIdentity, version: string): EnvVar[] {
  const uris = [appHostname(app.appName)];
  const vcapApplication = {
    limits: { fds: FILE_DESCRIPTORS, mem: app.memoryMb, disk: app.diskMb },
    application_name: app.appName,
    application_uris: uris,
    name: app.appName,
    space_name: "fake-space",
    space_id: app.spaceGuid ?? derivedGuid(app.appGuid, "space"),
    uris,
    version,
    application_version: version,
    application_id: app.appGuid,
  };
  return [
    { name: "VCAP_APPLICATION", value: JSON.stringify(vcapApplication) },
    { name: "MEMORY_LIMIT", value: `${app.memoryMb}m` },
    { name: "VCAP_SERVICES", value: "{}" },
  ];
}

/** The two ASG rules every capture shows (private range + DNS). */
export function egressRules(): Record<string, unknown>[] {
  return [
    { protocol: "all", destinations: ["0.0.0.0-9.255.255.255"], log: false },
    { protocol: "tcp", destinations: ["0.0.0.0/0"], ports: [53], log: false },
  ];
}

/** The lifecycle cached dependency (`/tmp/lifecycle`, keyed by stack). */
export function lifecycleDependency(from: string, stack: string): Record<string, unknown> {
  return {
    name: "",
    from,
    to: "/tmp/lifecycle",
    cache_key: `buildpack-${stack}-lifecycle`,
    log_source: "",
  };
}
