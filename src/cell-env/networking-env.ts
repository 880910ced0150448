import type { EnvVar } from "../core/env-var.js";

/** One LRP port and, when it is published, the host port it answers on. */
export interface PortPair {
  container: number;
  /** undefined: not published (e.g. diego-sshd's 2222 without --with-ssh). */
  host?: number | undefined;
}

/**
 * `CF_INSTANCE_PORTS` as the executor writes it (Go's JSON of its port mappings): one object
 * per LRP port, in LRP order, `external` first and left out when there is no host port.
 */
export function instancePortsJson(ports: readonly PortPair[]): string {
  const entries = ports.map((port) =>
    port.host ? { external: port.host, internal: port.container } : { internal: port.container },
  );
  return JSON.stringify(entries);
}

/**
 * The variables the executor's run step appends after the run action's env, for every run
 * step, tasks included (diego-reference.md §4.7 item 5; a task has no ports: PORT and ADDR
 * empty, PORTS `[]`). `hostIp` is the address other containers reach published ports on (the
 * Docker host as containers see it); undefined leaves CF_INSTANCE_IP and ADDR empty for the
 * launch start script to fill (`gatewayIp`). `internalIp` is the container's own address
 * (CF_INSTANCE_INTERNAL_IP, right after CF_INSTANCE_IP); launched instances leave it out, their
 * start script exports it (start-script.ts). `CF_INSTANCE_PORT`/`ADDR` are empty when the first
 * port is not published.
 */
export function networkingEnv(
  hostIp: string | undefined,
  ports: readonly PortPair[],
  internalIp?: string,
): EnvVar[] {
  const first = ports[0]?.host;
  const internal =
    internalIp === undefined ? [] : [{ name: "CF_INSTANCE_INTERNAL_IP", value: internalIp }];
  return [
    { name: "CF_INSTANCE_IP", value: hostIp ?? "" },
    ...internal,
    { name: "CF_INSTANCE_PORT", value: first ? String(first) : "" },
    { name: "CF_INSTANCE_ADDR", value: first && hostIp ? `${hostIp}:${first}` : "" },
    { name: "CF_INSTANCE_PORTS", value: instancePortsJson(ports) },
  ];
}
