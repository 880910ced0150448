/** The engine request that creates an app container from an AppContainerSpec. */
import type Docker from "dockerode";
import type { AppContainerSpec, ContainerHealthcheck } from "./app-runtime.js";
import { hostConfig } from "./host-config.js";
import { LabelKey } from "../core/labels.js";

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
  const config = hostConfig({
    memoryMb: spec.memoryMb,
    cpuShares: spec.cpuShares,
    nofile: spec.nofile,
    network: spec.network,
    portBindings: bindings,
    restart: spec.restart ?? "no",
    init: true,
    autoRemove: false,
    // No Source: anonymous volumes, which `docker rm -v` (stopAndRemove) removes with the container.
    mounts: (spec.volumes ?? []).map((target) => ({ Type: "volume", Source: "", Target: target })),
  });
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
    HostConfig: config,
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
