/**
 * The one builder of Docker's HostConfig, for idle (staging) containers and app containers
 * alike: resource limits as Garden applies them, networking, mounts, ports and restarts.
 */
import type Docker from "dockerode";

const mebibyte = 1024 * 1024;

export interface HostConfigSpec {
  autoRemove: boolean;
  memoryMb?: number | undefined;
  cpuShares?: number | undefined;
  nofile?: number | undefined;
  maxPids?: number | undefined;
  network?: string | undefined;
  extraHosts?: readonly string[] | undefined;
  mounts?: Docker.MountSettings[] | undefined;
  portBindings?: Record<string, { HostIp: string; HostPort: string }[]> | undefined;
  /** The restart policy's name (`no`, `on-failure`, ...); undefined: none set. */
  restart?: string | undefined;
  /** An init process as PID 1 (reaps and forwards TERM, as Garden's init does). */
  init?: boolean | undefined;
}

/** Only what the spec sets; limits of 0 or less mean "no limit" and are left out. */
export function hostConfig(spec: HostConfigSpec): Docker.HostConfig {
  const config: Docker.HostConfig = {};
  if (spec.portBindings !== undefined) config.PortBindings = spec.portBindings;
  if (spec.restart !== undefined) config.RestartPolicy = { Name: spec.restart };
  if (spec.init !== undefined) config.Init = spec.init;
  config.AutoRemove = spec.autoRemove;
  if (spec.memoryMb !== undefined && spec.memoryMb > 0) {
    config.Memory = Math.floor(spec.memoryMb * mebibyte);
    // Equal to Memory: no swap on top, so the limit is what the app gets (Garden has no swap).
    config.MemorySwap = config.Memory;
  }
  if (spec.cpuShares !== undefined && spec.cpuShares > 0) config.CpuShares = spec.cpuShares;
  if (spec.nofile !== undefined && spec.nofile > 0) {
    config.Ulimits = [{ Name: "nofile", Soft: spec.nofile, Hard: spec.nofile }];
  }
  if (spec.maxPids !== undefined && spec.maxPids > 0) config.PidsLimit = spec.maxPids;
  if (spec.network !== undefined) config.NetworkMode = spec.network;
  if (spec.extraHosts !== undefined && spec.extraHosts.length > 0) {
    config.ExtraHosts = [...spec.extraHosts];
  }
  if (spec.mounts !== undefined && spec.mounts.length > 0) config.Mounts = spec.mounts;
  return config;
}
