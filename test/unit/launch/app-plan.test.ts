import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { planApp } from "../../../src/launch/app-plan.js";
import { chooseHostPorts } from "../../../src/launch/host-ports.js";
import { planInstance } from "../../../src/launch/instance-plan.js";
import { lrpFixture } from "../../kit/fixture-files.js";
import { launchOptions } from "../../kit/launch-options.js";

const options = launchOptions();
const lrp = lrpFixture("lrp-cc-2024.json");

describe("planning a launch", () => {
  it("runs the launcher run action's path and args as its user, in its home", () => {
    const plan = planApp(lrp, options);
    expect(plan.command).toEqual(["/tmp/lifecycle/launcher", "app", "node server.js", ""]);
    expect(plan).toMatchObject({
      user: "vcap",
      workingDir: "/home/vcap",
      logSource: "APP/PROC/WEB",
    });
    expect(plan.app).toEqual({ name: "node-env", guid: "273b4ea1-c0b9-4a7c-bd3b-5275150cad19" });
  });

  it("applies memory_mb, cpu_weight as CPU shares and nofile; the LRP's instances and timeout", () => {
    const plan = planApp(lrp, options);
    expect(plan).toMatchObject({ memoryMb: 512, cpuShares: 61, nofile: 16384, instances: 2 });
    expect(plan.startTimeoutMs).toBe(60_000);
    const overridden = planApp(lrp, { ...options, instances: 3, startTimeoutMs: 5000 });
    expect(overridden).toMatchObject({ instances: 3, startTimeoutMs: 5000 });
  });

  it("skips diego-sshd and its port with a notice unless --with-ssh", () => {
    const plan = planApp(lrp, options);
    expect(plan.sshd).toBeUndefined();
    expect(plan.published.map((p) => p.containerPort)).toEqual([8080]);
    expect(plan.lrpPorts).toEqual([8080, 2222]);
    expect(plan.notices.join("\n")).toMatch(/diego-sshd .* --with-ssh/);
    const withSsh = planApp(lrp, { ...options, withSsh: true });
    expect(withSsh.sshd?.path).toBe("/tmp/lifecycle/diego-sshd");
    expect(withSsh.published.map((p) => p.containerPort)).toEqual([8080, 2222]);
  });

  it("says disk_mb is not enforced", () => {
    expect(planApp(lrp, options).notices.join("\n")).toMatch(/disk_mb \(1024 MB\) is not enforced/);
  });

  it("accepts --publish only for the LRP's published ports", () => {
    const publish = [{ hostPort: 9000, containerPort: 8080 }];
    expect(planApp(lrp, { ...options, publish }).published[0]?.fixed).toEqual(publish[0]);
    expect(() =>
      planApp(lrp, { ...options, publish: [{ hostPort: 1, containerPort: 2222 }] }),
    ).toThrow(/--with-ssh/);
    expect(() =>
      planApp(lrp, { ...options, publish: [{ hostPort: 1, containerPort: 9 }] }),
    ).toThrow(UsageError);
  });

  it("labels the app's containers so ps and stop find them", () => {
    const plan = planApp(lrp, { ...options, labels: { team: "a", "io.restager.kind": "x" } });
    expect(plan.labels).toMatchObject({
      team: "a",
      "io.restager.managed": "true",
      "io.restager.kind": "app",
      "io.restager.run": "abcdef123456",
      "io.restager.app-guid": "273b4ea1-c0b9-4a7c-bd3b-5275150cad19",
      "io.restager.app-name": "node-env",
      "io.restager.process-guid": lrp.processGuid,
    });
  });
});

describe("planning an instance", () => {
  it("gives each instance its index, guid, name, ports and Diego's variables", async () => {
    const plan = planApp(lrp, options);
    const ports = await chooseHostPorts(plan, {
      index: 1,
      taken: new Set(),
      findPort: () => Promise.resolve(61001),
    });
    const instance = planInstance(plan, { index: 1, guid: "g-1", hostIp: "172.17.0.1", ports });
    expect(instance.name).toBe("restager-node-env-1-abcdef");
    expect(instance.labels).toMatchObject({
      "io.restager.instance-index": "1",
      "io.restager.instance-guid": "g-1",
    });
    const env = new Map(instance.env.map((v) => [v.name, v.value]));
    expect(env.get("CF_INSTANCE_INDEX")).toBe("1");
    expect(env.get("CF_INSTANCE_ADDR")).toBe("172.17.0.1:61001");
    expect(env.get("CF_INSTANCE_PORTS")).toBe(
      '[{"external":61001,"internal":8080},{"internal":2222}]',
    );
  });

  it("gives instance i the fixed host port plus i, and free ports otherwise", async () => {
    const plan = planApp(lrp, {
      ...options,
      withSsh: true,
      publish: [{ hostPort: 9000, containerPort: 8080 }],
    });
    const taken = new Set<number>();
    let next = 50_000;
    const find = () => Promise.resolve(next++);
    expect(await chooseHostPorts(plan, { index: 2, taken, findPort: find })).toEqual([
      { containerPort: 8080, hostPort: 9002, hostIp: undefined },
      { containerPort: 2222, hostPort: 50_000, hostIp: undefined },
    ]);
    expect([...taken]).toEqual([9002, 50_000]);
  });
});
