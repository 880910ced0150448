/** The engine request that creates an app container from an AppContainerSpec. */
import type Docker from "dockerode";
import type { AppContainerSpec, ContainerHealthcheck } from "./app-runtime.js";
import { LabelKey } from "./labels.js";

const mebibyte = 1024 * 1024;
const nanosPerMs = 1_000_000;

/**
 * Like `docker run` of the spec, with Diego's choices: the restart policy the spec asks for
 * (src/launch/container-spec.ts explains how it maps Diego's restarts), an init process as PID 1 (Garden's init reaps and forwards TERM,
 * so the app is never PID 1 and stops promptly), swap equal to memory (Garden has none).
 */
export function appCreateOptions(spec: AppContainerSpec): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of spec.ports) {
    const key = `${port.containerPort}/tcp`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: port.hostIp ?? "", HostPort: String(port.hostPort) });
  }
  const hostConfig: Docker.HostConfig = {
    PortBindings: bindings,
    RestartPolicy: { Name: spec.restart ?? "no" },
    Init: true,
    AutoRemove: false,
  };
  if (spec.memoryMb !== undefined && spec.memoryMb > 0) {
    hostConfig.Memory = Math.floor(spec.memoryMb * mebibyte);
    hostConfig.MemorySwap = hostConfig.Memory;
  }
  if (spec.cpuShares !== undefined && spec.cpuShares > 0) hostConfig.CpuShares = spec.cpuShares;
  if (spec.nofile !== undefined && spec.nofile > 0) {
    hostConfig.Ulimits = [{ Name: "nofile", Soft: spec.nofile, Hard: spec.nofile }];
  }
  if (spec.network !== undefined) hostConfig.NetworkMode = spec.network;
  return {
    name: spec.name,
    Image: spec.image,
    Entrypoint: [...spec.entrypoint],
    Cmd: [...spec.cmd],
    User: spec.user,
    WorkingDir: spec.workingDir,
    ...(spec.hostname === undefined ? {} : { Hostname: spec.hostname }),
    Env: [...spec.env],
    Labels: { ...spec.labels, [LabelKey.managed]: "true" },
    ExposedPorts: exposed,
    Healthcheck: engineHealthcheck(spec.healthcheck),
    HostConfig: hostConfig,
  };
}

/** Docker's HealthConfig (durations in ns); `NONE` also switches off an image's own check. */
export function engineHealthcheck(check: ContainerHealthcheck | undefined): Docker.HealthConfig {
  if (!check) return { Test: ["NONE"] };
  return {
    Test: [...check.test],
    Interval: check.intervalMs * nanosPerMs,
    Timeout: check.timeoutMs * nanosPerMs,
    Retries: check.retries,
    StartPeriod: check.startPeriodMs * nanosPerMs,
  };
}
