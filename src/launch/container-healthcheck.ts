import { healthShellCommand, type AppHealth } from "./app-health.js";

/** A Docker health check (container, Swarm service or compose service). */
export interface HealthcheckSpec {
  /** `["CMD", argv...]` for one probe, `["CMD-SHELL", "a && b"]` for several. */
  test: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

/** Diego checks a starting instance every 2 s (`unhealthy_monitoring_interval`). */
export const startingIntervalMs = 2_000;
/** Consecutive failures Docker needs before it calls a started instance unhealthy. */
export const healthRetries = 3;

/**
 * Maps an LRP's health check to Docker's. Docker has one interval for both phases (the engine
 * here predates `StartInterval`), so Diego's starting interval (2 s) is used throughout. The
 * start period is the LRP's start timeout: failures before it do not count, as Diego keeps
 * checking until `start_timeout_ms`; after it, `healthRetries` failures in a row make the
 * instance unhealthy (Diego crashes it at the first failed liveness check; Docker only marks it,
 * and `launch` reports it crashed). The Docker timeout leaves the binary's own dial/request
 * timeout room to expire first. undefined = no health check.
 */
export function containerHealthcheck(
  health: AppHealth,
  startTimeoutMs: number,
): HealthcheckSpec | undefined {
  const [only, ...more] = health.commands;
  if (!only) return undefined;
  const probeTimeoutMs = Math.max(...health.probes.map((probe) => probe.timeoutMs ?? 1_000));
  return {
    test: more.length === 0 ? ["CMD", ...only] : ["CMD-SHELL", healthShellCommand(health)],
    intervalMs: startingIntervalMs,
    timeoutMs: probeTimeoutMs + 2_000,
    retries: healthRetries,
    startPeriodMs: startTimeoutMs,
  };
}
