/** Diego's `container_max_cpu_shares` default (diego-release jobs/rep/spec). */
export const maxCpuShares = 1024;

/** The kernel's smallest cpu.shares value; Docker rejects less (except 0 = "unset"). */
const minCpuShares = 2;

/**
 * Maps a Diego `cpu_weight` (1..100) to Docker CpuShares the way the executor does:
 * `max_cpu_shares * cpu_weight / 100` with integer division. A missing or zero weight means
 * "no limit requested" (undefined: Docker's default); tiny weights are raised to the kernel
 * minimum, weights above 100 are capped.
 */
export function cpuSharesFor(cpuWeight: number | undefined): number | undefined {
  if (cpuWeight === undefined || !Number.isFinite(cpuWeight) || cpuWeight <= 0) return undefined;
  const weight = Math.min(Math.floor(cpuWeight), 100);
  return Math.max(Math.floor((maxCpuShares * weight) / 100), minCpuShares);
}
