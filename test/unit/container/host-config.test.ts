import { describe, expect, it } from "vitest";
import { hostConfig } from "../../../src/container/host-config.js";

describe("hostConfig: the one HostConfig builder", () => {
  it("sets only what the spec asks for", () => {
    expect(hostConfig({ autoRemove: true })).toStrictEqual({ AutoRemove: true });
  });

  it("maps limits as Garden applies them: swap equal to memory, nofile as soft and hard", () => {
    expect(
      hostConfig({ autoRemove: false, memoryMb: 256, cpuShares: 512, nofile: 1024, maxPids: 99 }),
    ).toStrictEqual({
      AutoRemove: false,
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      CpuShares: 512,
      Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 1024 }],
      PidsLimit: 99,
    });
  });

  it("leaves out limits of zero and empty lists", () => {
    const config = hostConfig({
      autoRemove: false,
      memoryMb: 0,
      cpuShares: 0,
      nofile: 0,
      maxPids: 0,
      extraHosts: [],
      mounts: [],
    });
    expect(config).toStrictEqual({ AutoRemove: false });
  });

  it("carries networking, ports, restarts and init", () => {
    const bindings = { "8080/tcp": [{ HostIp: "", HostPort: "0" }] };
    expect(
      hostConfig({
        autoRemove: false,
        network: "bridge",
        extraHosts: ["host.docker.internal:host-gateway"],
        portBindings: bindings,
        restart: "on-failure",
        init: true,
      }),
    ).toStrictEqual({
      PortBindings: bindings,
      RestartPolicy: { Name: "on-failure" },
      Init: true,
      AutoRemove: false,
      NetworkMode: "bridge",
      ExtraHosts: ["host.docker.internal:host-gateway"],
    });
  });
});
