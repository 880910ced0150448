import type { InstancePort } from "./instance-plan.js";

/**
 * Where a published port answers from restager's side: its bound address when it is bound to
 * one, else the engine's host (127.0.0.1 for a local engine).
 */
export function portUrl(port: Pick<InstancePort, "hostIp" | "hostPort">, host: string): string {
  const address = port.hostIp && port.hostIp !== "0.0.0.0" ? port.hostIp : host;
  return `http://${address}:${port.hostPort}`;
}
