import { describe, expect, it } from "vitest";
import { createOptions, idleEntrypoint } from "../../../src/container/create-options.js";

describe("createOptions", () => {
  it("creates an idle root container labelled as managed, without mounts", () => {
    const options = createOptions({ image: "img:1", env: ["A=1"], labels: { x: "y" } });
    expect(options).toEqual({
      Image: "img:1",
      Entrypoint: idleEntrypoint,
      Cmd: ["restager-idle"],
      User: "root",
      WorkingDir: "/",
      Env: ["A=1"],
      Labels: { x: "y", "io.restager.managed": "true" },
      HostConfig: { AutoRemove: false },
    });
  });

  it("maps limits, network and hosts", () => {
    const options = createOptions({
      image: "img",
      env: [],
      labels: {},
      name: "restager-abc",
      memoryMb: 256,
      cpuShares: 512,
      nofile: 16384,
      maxPids: 1024,
      network: "restager-net",
      extraHosts: ["api.test:172.17.0.1"],
    });
    expect(options.name).toBe("restager-abc");
    expect(options.HostConfig).toEqual({
      AutoRemove: false,
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      CpuShares: 512,
      Ulimits: [{ Name: "nofile", Soft: 16384, Hard: 16384 }],
      PidsLimit: 1024,
      NetworkMode: "restager-net",
      ExtraHosts: ["api.test:172.17.0.1"],
    });
  });

  it("treats zero limits as unlimited (Diego's 0)", () => {
    const options = createOptions({ image: "i", env: [], labels: {}, memoryMb: 0, maxPids: 0 });
    expect(options.HostConfig).toEqual({ AutoRemove: false });
  });
});
