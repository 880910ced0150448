/** DockerSwarm: the SwarmRuntime port over dockerode. */
import type Docker from "dockerode";
import { UnavailableError } from "../errors.js";
import { engineMessage, isNotFound, toRestagerError } from "./docker-errors.js";
import { DockerConnection, type DockerConnectionOptions } from "./docker-connection.js";
import type { SwarmRuntime, SwarmService, SwarmServiceSpec, SwarmTask } from "./swarm-runtime.js";
import { swarmServiceOptions } from "./swarm-service-options.js";

interface EnginePort {
  TargetPort?: number;
  PublishedPort?: number;
}

interface EngineTask {
  ID: string;
  Slot?: number;
  DesiredState?: string;
  Status?: {
    State?: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string };
    PortStatus?: { Ports?: EnginePort[] };
  };
}

export class DockerSwarm implements SwarmRuntime {
  private readonly docker: Docker;
  private readonly where: string;

  constructor(options: DockerConnectionOptions = {}) {
    const connection = DockerConnection.of(options);
    this.where = connection.where;
    this.docker = connection.docker;
  }

  async swarmState(): Promise<string> {
    try {
      const info = (await this.docker.info()) as { Swarm?: { LocalNodeState?: string } };
      return info.Swarm?.LocalNodeState ?? "inactive";
    } catch (error) {
      throw this.toError(error, "read the engine's swarm state");
    }
  }

  async createService(spec: SwarmServiceSpec): Promise<string> {
    try {
      const service = await this.docker.createService(swarmServiceOptions(spec));
      return service.id;
    } catch (error) {
      if (/not a swarm manager|This node is not a swarm manager/i.test(engineMessage(error))) {
        throw new UnavailableError("This Docker engine is not a swarm manager", {
          hint: "Run 'docker swarm init' (one node: docker swarm init --advertise-addr 127.0.0.1)",
          cause: error,
        });
      }
      throw this.toError(error, `create the service ${spec.name}`);
    }
  }

  async serviceTasks(serviceId: string): Promise<SwarmTask[]> {
    let tasks: EngineTask[];
    try {
      tasks = (await this.docker.listTasks({ filters: { service: [serviceId] } })) as EngineTask[];
    } catch (error) {
      throw this.toError(error, "list the service's tasks");
    }
    return tasks.map((task) => ({
      id: task.ID,
      slot: task.Slot ?? 0,
      state: task.Status?.State ?? "unknown",
      desiredState: task.DesiredState ?? "unknown",
      message: task.Status?.Message ?? "",
      error: task.Status?.Err || undefined,
      containerId: task.Status?.ContainerStatus?.ContainerID || undefined,
      ports: publishedPorts(task.Status?.PortStatus?.Ports),
    }));
  }

  async listServices(labels: string[]): Promise<SwarmService[]> {
    if ((await this.swarmState()) !== "active") return [];
    try {
      const services = await this.docker.listServices({ filters: { label: labels } });
      return services.map((service) => ({
        id: service.ID,
        name: service.Spec?.Name ?? service.ID,
        labels: service.Spec?.Labels ?? {},
        replicas: service.Spec?.Mode?.Replicated?.Replicas ?? 0,
        ports: publishedPorts(service.Endpoint?.Ports),
      }));
    } catch (error) {
      throw this.toError(error, "list services");
    }
  }

  async removeService(id: string): Promise<void> {
    try {
      await this.docker.getService(id).remove();
    } catch (error) {
      if (!isNotFound(error)) throw this.toError(error, "remove a service");
    }
  }

  private toError(error: unknown, what: string) {
    return toRestagerError(error, { what, where: this.where });
  }
}

/** Published TCP ports; the engine lists a host-mode port once per address family. */
function publishedPorts(ports: EnginePort[] | undefined): { target: number; published: number }[] {
  const found: { target: number; published: number }[] = [];
  for (const port of ports ?? []) {
    if (!port.TargetPort || !port.PublishedPort) continue;
    if (found.some((p) => p.target === port.TargetPort && p.published === port.PublishedPort))
      continue;
    found.push({ target: port.TargetPort, published: port.PublishedPort });
  }
  return found;
}
