import { type AppHealth, type Probe, healthShellCommand } from "../launch/index.js";

type ProbeAction =
  | { tcpSocket: { port: number } }
  | { httpGet: { path: string; port: number } }
  | { exec: { command: string[] } };

export interface K8sProbes {
  startupProbe?: Record<string, unknown>;
  livenessProbe?: Record<string, unknown>;
  readinessProbe?: Record<string, unknown>;
}

/** Diego's healthy-instance interval when a check names none. */
const livenessIntervalS = 30;
const startingIntervalS = 2;

/**
 * An LRP's health check as pod probes: a startup probe with Diego's starting interval (2 s)
 * until the start timeout, a liveness probe every 30 s (or the check's interval) that fails at
 * the first miss, as Diego crashes an instance at the first failed liveness check, and a
 * readiness probe from the readiness checks, else from the liveness check. One probe becomes a
 * native tcpSocket/httpGet probe; several (one per port) run the healthcheck binary together.
 */
export function k8sProbes(health: AppHealth, startTimeoutMs: number): K8sProbes {
  const [first, ...others] = health.probes;
  if (!first) return {};
  const action = others.length === 0 ? nativeAction(first) : execAction(health);
  const timeoutSeconds = Math.max(1, Math.ceil((first.timeoutMs ?? 1000) / 1000));
  const readiness = health.readiness[0];
  return {
    startupProbe: {
      ...action,
      periodSeconds: startingIntervalS,
      timeoutSeconds,
      failureThreshold: Math.max(1, Math.ceil(startTimeoutMs / (startingIntervalS * 1000))),
    },
    livenessProbe: {
      ...action,
      periodSeconds: Math.max(1, Math.round((first.intervalMs ?? livenessIntervalS * 1000) / 1000)),
      timeoutSeconds,
      failureThreshold: 1,
    },
    readinessProbe: {
      ...(readiness ? nativeAction(readiness) : action),
      periodSeconds: startingIntervalS,
      timeoutSeconds,
    },
  };
}

function nativeAction(probe: Probe): ProbeAction {
  return probe.kind === "tcp"
    ? { tcpSocket: { port: probe.port } }
    : { httpGet: { path: probe.path ?? "/", port: probe.port } };
}

function execAction(health: AppHealth): ProbeAction {
  return { exec: { command: ["/bin/sh", "-c", healthShellCommand(health)] } };
}
