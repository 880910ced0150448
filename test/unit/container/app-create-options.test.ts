import { describe, expect, it } from "vitest";
import { appCreateOptions } from "../../../src/container/app-create-options.js";
import type { AppContainerSpec } from "../../../src/container/app-runtime.js";

const spec: AppContainerSpec = {
  name: "restager-hello-0-abc",
  image: "restager/hello:1",
  entrypoint: ["/bin/sh", "-c", 'exec "$@"', "restager-start"],
  cmd: ["/tmp/lifecycle/launcher", "app", "", ""],
  user: "vcap",
  workingDir: "/home/vcap",
  env: ["PORT=8080"],
  labels: { "io.restager.kind": "app" },
  ports: [
    { containerPort: 8080, hostPort: 61001 },
    { containerPort: 2222, hostPort: 61002, hostIp: "127.0.0.1" },
  ],
  memoryMb: 256,
  cpuShares: 30,
  nofile: 16384,
  healthcheck: {
    test: ["CMD", "/hc", "-port=8080"],
    intervalMs: 2000,
    timeoutMs: 3000,
    retries: 3,
    startPeriodMs: 60_000,
  },
  network: "apps",
};

describe("app container create options", () => {
  const options = appCreateOptions(spec);

  it("runs the entrypoint and command as the user, in the working directory", () => {
    expect(options).toMatchObject({
      name: "restager-hello-0-abc",
      Image: "restager/hello:1",
      Entrypoint: spec.entrypoint,
      Cmd: spec.cmd,
      User: "vcap",
      WorkingDir: "/home/vcap",
      Env: ["PORT=8080"],
      Labels: { "io.restager.kind": "app", "io.restager.managed": "true" },
    });
  });

  it("publishes each port on its host port", () => {
    expect(options.ExposedPorts).toEqual({ "8080/tcp": {}, "2222/tcp": {} });
    expect(options.HostConfig?.PortBindings).toEqual({
      "8080/tcp": [{ HostIp: "", HostPort: "61001" }],
      "2222/tcp": [{ HostIp: "127.0.0.1", HostPort: "61002" }],
    });
  });

  it("applies the limits, no restart, an init process and the network", () => {
    expect(options.HostConfig).toMatchObject({
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      CpuShares: 30,
      Ulimits: [{ Name: "nofile", Soft: 16384, Hard: 16384 }],
      RestartPolicy: { Name: "no" },
      Init: true,
      NetworkMode: "apps",
    });
  });

  it("gives each of the spec's volumes an anonymous volume (removed with the container)", () => {
    const withVolumes = appCreateOptions({ ...spec, volumes: ["/etc/cf-instance-credentials"] });
    expect(withVolumes.HostConfig?.Mounts).toEqual([
      { Type: "volume", Source: "", Target: "/etc/cf-instance-credentials" },
    ]);
    expect(options.HostConfig?.Mounts).toBeUndefined();
  });

  it("gives the health check in nanoseconds, or switches it off", () => {
    expect(options.Healthcheck).toEqual({
      Test: ["CMD", "/hc", "-port=8080"],
      Interval: 2e9,
      Timeout: 3e9,
      Retries: 3,
      StartPeriod: 60e9,
    });
    expect(appCreateOptions({ ...spec, healthcheck: undefined }).Healthcheck).toEqual({
      Test: ["NONE"],
    });
  });
});
