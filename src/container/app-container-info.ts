/** Engine inspect/list answers turned into our app container types. */
import type Docker from "dockerode";
import type {
  AppContainerState,
  HealthStatus,
  ListedAppContainer,
  PublishedPort,
} from "./app-runtime.js";

export function containerState(info: Docker.ContainerInspectInfo): AppContainerState {
  const health = info.State.Health;
  const lastCheck = health?.Log?.[health.Log.length - 1];
  const networks = Object.values(info.NetworkSettings.Networks ?? {});
  const ip = networks.map((network) => network.IPAddress).find((address) => address);
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ""),
    status: info.State.Status,
    running: info.State.Running,
    exitCode: info.State.ExitCode,
    oomKilled: info.State.OOMKilled,
    health: healthStatus(health?.Status),
    lastHealthOutput: lastCheck?.Output?.trim() || undefined,
    ip: ip || undefined,
    restartCount: info.RestartCount ?? 0,
    restarting: info.State.Restarting,
    volumeSources: Object.fromEntries(
      (info.Mounts ?? []).flatMap((m) => (m.Type === "volume" ? [[m.Destination, m.Source]] : [])),
    ),
  };
}

function healthStatus(status: string | undefined): HealthStatus {
  return status === "starting" || status === "healthy" || status === "unhealthy" ? status : "none";
}

export function listedContainer(info: Docker.ContainerInfo): ListedAppContainer {
  const ports: PublishedPort[] = [];
  for (const port of info.Ports) {
    if (!port.PublicPort || port.Type !== "tcp") continue;
    // The engine lists a port once per address family; keep one entry per container port.
    if (ports.some((p) => p.containerPort === port.PrivatePort && p.hostPort === port.PublicPort))
      continue;
    const hostIp = port.IP && port.IP !== "0.0.0.0" && port.IP !== "::" ? port.IP : undefined;
    ports.push({ containerPort: port.PrivatePort, hostPort: port.PublicPort, hostIp });
  }
  ports.sort((a, b) => a.containerPort - b.containerPort);
  return {
    id: info.Id,
    name: (info.Names[0] ?? "").replace(/^\//, ""),
    image: info.Image,
    state: info.State,
    status: info.Status,
    createdMs: info.Created * 1000,
    labels: info.Labels,
    ports,
  };
}

/**
 * A network's IPv4 gateway: the one IPAM names, else the first address of its subnet, which is
 * where Docker puts the gateway when none is configured (the default bridge lists only its
 * subnet: 172.17.0.0/16 → 172.17.0.1).
 */
export function networkGatewayOf(
  configs: { Subnet?: string; Gateway?: string }[],
): string | undefined {
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/\d+)?$/;
  const named = configs.find((config) => config.Gateway && ipv4.test(config.Gateway))?.Gateway;
  if (named) return named;
  for (const { Subnet } of configs) {
    const match = ipv4.exec(Subnet ?? "");
    if (!match) continue;
    const prefix = Number(Subnet?.split("/")[1] ?? 32);
    const address = match.slice(1, 5).reduce((acc, part) => acc * 256 + Number(part), 0);
    const network = prefix === 0 ? 0 : address - (address % 2 ** (32 - prefix));
    const gateway = network + 1;
    return [24, 16, 8, 0].map((shift) => Math.floor(gateway / 2 ** shift) % 256).join(".");
  }
  return undefined;
}
