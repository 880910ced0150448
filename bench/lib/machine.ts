/** A one-paragraph description of the machine the figures come from. */
import { cpus, loadavg, release, totalmem } from "node:os";
import { runProcess } from "./run-process.js";

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  docker: string;
  node: string;
  /** 1-minute load average when the benchmark started (other work skews the figures). */
  loadAverage: number;
}

export async function describeMachine(): Promise<Machine> {
  const version = await runProcess("docker", [
    "version",
    "--format",
    "{{.Server.Version}} (API {{.Server.APIVersion}}, {{.Server.Os}}/{{.Server.Arch}})",
  ]);
  const info = await runProcess("docker", [
    "info",
    "--format",
    "{{.Driver}} storage, cgroup {{.CgroupVersion}}",
  ]);
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: totalmem() / 1024 ** 3,
    kernel: `${release()}`,
    docker: version.exitCode === 0 ? `${version.stdout.trim()}; ${info.stdout.trim()}` : "unknown",
    node: process.version,
    loadAverage: loadavg()[0] ?? 0,
  };
}

export function machineLines(machine: Machine): string[] {
  return [
    `- CPU: ${machine.cores} cores (${machine.cpuModel})`,
    `- Memory: ${machine.memoryGiB.toFixed(1)} GiB`,
    `- Kernel: Linux ${machine.kernel}`,
    `- Docker: ${machine.docker}`,
    `- Node: ${machine.node}`,
    `- Load average at start (1 min): ${machine.loadAverage.toFixed(2)}`,
  ];
}
