import { describe, expect, it } from "vitest";
import { swarmServiceOptions } from "../../../src/container/swarm-service-options.js";

describe("Swarm service create options", () => {
  const options = swarmServiceOptions({
    name: "restager-hello-abc",
    image: "restager/hello:1",
    command: ["/bin/sh", "-c", 'exec "$@"', "restager-start"],
    args: ["/tmp/lifecycle/launcher", "app", "", ""],
    env: ["INSTANCE_GUID={{.Task.ID}}"],
    user: "vcap",
    workingDir: "/home/vcap",
    labels: { "io.restager.kind": "app" },
    replicas: 2,
    ports: [
      { target: 8080, mode: "host" },
      { target: 9090, published: 30090, mode: "ingress" },
    ],
    memoryMb: 256,
    nofile: 1024,
    healthcheck: {
      test: ["CMD", "/hc"],
      intervalMs: 2000,
      timeoutMs: 3000,
      retries: 3,
      startPeriodMs: 1000,
    },
  });

  it("replicates the container spec with its labels, init, ulimits and health check", () => {
    expect(options.Mode).toEqual({ Replicated: { Replicas: 2 } });
    const task = options.TaskTemplate as {
      ContainerSpec: Record<string, unknown>;
      Resources: unknown;
    };
    expect(task.ContainerSpec).toMatchObject({
      Image: "restager/hello:1",
      Command: ["/bin/sh", "-c", 'exec "$@"', "restager-start"],
      Args: ["/tmp/lifecycle/launcher", "app", "", ""],
      User: "vcap",
      Dir: "/home/vcap",
      Init: true,
      Labels: { "io.restager.kind": "app", "io.restager.managed": "true" },
      Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 1024 }],
      HealthCheck: { Test: ["CMD", "/hc"], Interval: 2e9 },
    });
    expect(task.Resources).toEqual({ Limits: { MemoryBytes: 256 * 1024 * 1024 } });
    expect(options.Labels).toMatchObject({ "io.restager.managed": "true" });
  });

  it("publishes host-mode ports without a published port (random per task)", () => {
    expect(options.EndpointSpec?.Ports).toEqual([
      { Protocol: "tcp", TargetPort: 8080, PublishMode: "host" },
      { Protocol: "tcp", TargetPort: 9090, PublishedPort: 30090, PublishMode: "ingress" },
    ]);
  });
});
