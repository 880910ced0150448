import type { EnvVar } from "../diego/actions.js";

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
 * The variables the executor's run step appends after the run action's env
 * (diego-reference.md §4.7 item 5), minus CF_INSTANCE_INTERNAL_IP, which only the container
 * knows (see start-script.ts). `hostIp` is the address other containers reach published ports
 * on (the Docker host as containers see it); undefined leaves CF_INSTANCE_IP and ADDR empty for
 * the start script to fill (`gatewayIp`). `CF_INSTANCE_PORT`/`ADDR` are empty when the first
 * port is not published, as on a cell without port mappings.
 */
export function networkingEnv(hostIp: string | undefined, ports: readonly PortPair[]): EnvVar[] {
  const first = ports[0]?.host;
  return [
    { name: "CF_INSTANCE_IP", value: hostIp ?? "" },
    { name: "CF_INSTANCE_PORT", value: first ? String(first) : "" },
    { name: "CF_INSTANCE_ADDR", value: first && hostIp ? `${hostIp}:${first}` : "" },
    { name: "CF_INSTANCE_PORTS", value: instancePortsJson(ports) },
  ];
}
