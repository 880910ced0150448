import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { planApp } from "../../../src/launch/app-plan.js";
import {
  escapeTemplate,
  swarmPorts,
  swarmServiceSpec,
} from "../../../src/launch/swarm-service-spec.js";
import { lrpFixture } from "../../kit/fixture-files.js";
import { launchOptions } from "../../kit/launch-options.js";

const options = launchOptions({
  image: "restager/node-env:1",
  env: [{ name: "TEMPLATE", value: "{{not a template}}" }],
});
const plan = planApp(lrpFixture("lrp-cc-2024.json"), options);

describe("the Swarm service of an app", () => {
  it("runs the instances as replicas with the run action's argv behind the start script", () => {
    const spec = swarmServiceSpec(plan, [{ target: 8080, published: 30080, mode: "ingress" }]);
    expect(spec).toMatchObject({
      name: "restager-node-env-abcdef",
      image: "restager/node-env:1",
      args: ["/tmp/lifecycle/launcher", "app", "node server.js", ""],
      user: "vcap",
      workingDir: "/home/vcap",
      replicas: 2,
      memoryMb: 512,
      nofile: 16384,
    });
    expect(spec.command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(spec.command[2]).toContain("RESTAGER_TASK_SLOT");
    expect(spec.healthcheck?.test[1]).toBe("/tmp/lifecycle/healthcheck");
    expect(spec.labels).toMatchObject({ "io.restager.output": "swarm", "io.restager.kind": "app" });
  });

  it("takes guids from the task id and the index from the task slot", () => {
    const spec = swarmServiceSpec(plan, [{ target: 8080, published: 30080, mode: "ingress" }]);
    expect(spec.env).toContain("INSTANCE_GUID={{.Task.ID}}");
    expect(spec.env).toContain("CF_INSTANCE_GUID={{.Task.ID}}");
    expect(spec.env).toContain("RESTAGER_TASK_SLOT={{.Task.Slot}}");
    expect(spec.env).toContain("CF_INSTANCE_PORT=30080");
    expect(spec.env).toContain("CF_INSTANCE_IP=");
    expect(spec.env).toContain('TEMPLATE={{"{{"}}not a template}}');
  });

  it("leaves CF_INSTANCE_PORT empty for per-task host ports", () => {
    const spec = swarmServiceSpec(plan, [{ target: 8080, mode: "host" }]);
    expect(spec.env).toContain("CF_INSTANCE_PORT=");
    expect(spec.env).toContain('CF_INSTANCE_PORTS=[{"internal":8080},{"internal":2222}]');
  });

  it("publishes ingress ports once and host ports per task", async () => {
    expect(await swarmPorts(plan, "ingress", () => Promise.resolve(30001))).toEqual([
      { target: 8080, published: 30001, mode: "ingress" },
    ]);
    expect(await swarmPorts(plan, "host", () => Promise.reject(new Error("unused")))).toEqual([
      { target: 8080, published: undefined, mode: "host" },
    ]);
    const fixed = planApp(lrpFixture("lrp-cc-2024.json"), {
      ...options,
      publish: [{ hostPort: 9000, containerPort: 8080 }],
    });
    await expect(swarmPorts(fixed, "host", () => Promise.resolve(1))).rejects.toBeInstanceOf(
      UsageError,
    );
  });

  it("escapes Go template actions in recorded values", () => {
    expect(escapeTemplate('A={"x":"{{y}}"}')).toBe('A={"x":"{{"{{"}}y}}"}');
  });
});
