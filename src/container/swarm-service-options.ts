/** The engine request that creates a Swarm service from a SwarmServiceSpec. */
import type Docker from "dockerode";
import { engineHealthcheck } from "./app-create-options.js";
import { LabelKey } from "../core/labels.js";
import type { SwarmServiceSpec } from "./swarm-runtime.js";

const mebibyte = 1024 * 1024;

/**
 * Restart policy left at Swarm's default (restart on any exit): a cluster keeps replicas up, as
 * Diego restarts crashed instances. Ports are TCP; host mode binds on each node running a task.
 */
export function swarmServiceOptions(spec: SwarmServiceSpec): Docker.CreateServiceOptions {
  const labels = { ...spec.labels, [LabelKey.managed]: "true" };
  const containerSpec: Docker.ContainerSpec = {
    Image: spec.image,
    Command: [...spec.command],
    Args: [...spec.args],
    Env: [...spec.env],
    User: spec.user,
    Dir: spec.workingDir,
    Labels: labels,
    Init: true,
    HealthCheck: engineHealthcheck(spec.healthcheck),
  };
  if (spec.nofile)
    containerSpec.Ulimits = [{ Name: "nofile", Soft: spec.nofile, Hard: spec.nofile }];
  const taskTemplate: Docker.ContainerTaskSpec = { ContainerSpec: containerSpec };
  if (spec.memoryMb) taskTemplate.Resources = { Limits: { MemoryBytes: spec.memoryMb * mebibyte } };
  if (spec.network) taskTemplate.Networks = [{ Target: spec.network }];
  return {
    Name: spec.name,
    Labels: labels,
    TaskTemplate: taskTemplate,
    Mode: { Replicated: { Replicas: spec.replicas } },
    EndpointSpec: {
      Mode: "vip",
      Ports: spec.ports.map((port) => ({
        Protocol: "tcp" as const,
        TargetPort: port.target,
        ...(port.published === undefined ? {} : { PublishedPort: port.published }),
        PublishMode: port.mode,
      })),
    },
  };
}
