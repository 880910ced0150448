import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DockerApps } from "../../../../src/container/docker-apps.js";
import type { DesiredLrp } from "../../../../src/diego/desired-lrp.js";
import { parseRequest } from "../../../../src/diego/parse/parse-request.js";
import {
  assertNoLeakedContainers,
  removeLabelledContainers,
  TEST_RUN_LABEL,
  testRunId,
} from "../../../kit/docker-leaks.js";
import { buildDesiredLrp, type DesiredLrpOptions } from "../../../kit/fake-cf/desired-lrp.js";
import type { FakeCfEndpoints } from "../../../kit/fake-cf/fake-cf-options.js";
import { expectInstanceEnv, parseEnvText } from "../../../kit/launch-env.js";
import { buildLaunchImage, removeImages } from "../../../kit/launch-images.js";
import { planApp } from "../../../../src/launch/app-plan.js";
import { findFreePort } from "../../../../src/launch/host-ports.js";
import { launchInstances, removeInstances } from "../../../../src/app/launch/launch-instances.js";
import type { LaunchOptions } from "../../../../src/launch/launch-options.js";

// Launches fixture apps from launcher images as `launch` does, against the real engine.

const runId = testRunId();
const suffix = randomBytes(4).toString("hex");
const role = `io.restager.test-role-launch-${suffix}`;
const labels = { [TEST_RUN_LABEL]: runId, [role]: "1" };
const runtime = new DockerApps();
const apps = {
  hello: { appGuid: `0f0e0d0c-0000-4000-8000-${suffix}0001`, appName: "hello", app: "hello-shell" },
  crash: { appGuid: `0f0e0d0c-0000-4000-8000-${suffix}0002`, appName: "crash", app: "crash" },
};
const images = { hello: `restager-test/hello:${suffix}`, crash: `restager-test/crash:${suffix}` };

function lrpJson(app: keyof typeof apps, extra: Partial<DesiredLrpOptions> = {}) {
  return buildDesiredLrp({
    endpoints: {} as FakeCfEndpoints,
    lifecycleUrl: "http://file-server.invalid/lifecycle.tgz",
    dropletUrl: "http://cc.invalid/droplet",
    startCommand: "",
    memoryMb: 128,
    ...apps[app],
    ...extra,
  });
}

function options(image: string, extra: Partial<LaunchOptions> = {}): LaunchOptions {
  return {
    image,
    publish: [],
    envFile: [],
    env: [],
    keepProxy: false,
    withSsh: false,
    labels,
    runId: randomBytes(6).toString("hex"),
    hostEnv: {},
    ...extra,
  };
}

const parse = (json: unknown) => parseRequest(json, "lrp").value as DesiredLrp;
const deps = { runtime, findPort: findFreePort, pollMs: 200 };

beforeAll(async () => {
  for (const key of ["hello", "crash"] as const) {
    const { app, appGuid, appName } = apps[key];
    await buildLaunchImage({
      app,
      buildpacks: ["shell"],
      skipDetect: true,
      appGuid,
      appName,
      tag: images[key],
      labels,
    });
  }
});

afterEach(async () => {
  await removeLabelledContainers(role, "1");
  await assertNoLeakedContainers(role, "1");
});

afterAll(async () => {
  await removeImages(Object.values(images));
});

describe("launching a desired LRP", () => {
  it("runs two instances, indexes 0 and 1, each with Diego's environment, answering on its port", async () => {
    const json = lrpJson("hello", {
      instances: 2,
      healthCheck: { type: "http", endpoint: "/" },
      env: [
        { name: "http_proxy", value: "" },
        { name: "FAVOURITE", value: "a b 'c' $HOME" },
      ],
    });
    const outcomes = await launchInstances(planApp(parse(json), options(images.hello)), deps);
    expect(outcomes.map((o) => [o.index, o.state])).toEqual([
      [0, "running"],
      [1, "running"],
    ]);
    const gateway = await runtime.networkGateway();
    for (const outcome of outcomes) {
      const hostPort = outcome.ports[0]?.hostPort ?? 0;
      const envText = await (await fetch(`http://127.0.0.1:${hostPort}/env.txt`)).text();
      const state = await runtime.inspectApp(outcome.id);
      expectInstanceEnv(parseEnvText(envText), json, {
        index: outcome.index,
        hostPort,
        hostIp: gateway ?? "",
        internalIp: state.ip ?? "",
      });
      expect(parseEnvText(envText).get("INSTANCE_GUID")).toBe(outcome.guid);
    }
    await removeInstances(outcomes, deps, 1);
  });

  it("reports a crashing app as crashed with its last lines", async () => {
    const outcomes = await launchInstances(
      planApp(parse(lrpJson("crash")), options(images.crash)),
      deps,
    );
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ state: "crashed", reason: "APP: Exited with status 1" });
    expect(outcomes[0]?.lastLines).toContainEqual({
      stream: "err",
      text: "crash: cannot start, giving up",
    });
    expect(outcomes[0]?.lastLines).toContainEqual({ stream: "out", text: "crash: starting up" });
  });

  it("waits for the health check: running only once the app answers", async () => {
    const json = lrpJson("hello", {
      startCommand: "sleep 3 && bash run.sh",
      healthCheck: { type: "http", endpoint: "/" },
    });
    const started = Date.now();
    const [outcome] = await launchInstances(planApp(parse(json), options(images.hello)), deps);
    expect(outcome?.state).toBe("running");
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    const response = await fetch(`http://127.0.0.1:${outcome?.ports[0]?.hostPort}/`);
    expect(response.status).toBe(200);
  });

  it("crashes an instance whose health check never passes within the start timeout", async () => {
    const json = lrpJson("hello", { healthCheck: { type: "http", endpoint: "/no-such-page" } });
    const plan = planApp(parse(json), options(images.hello, { startTimeoutMs: 5000 }));
    const [outcome] = await launchInstances(plan, deps);
    expect(outcome?.state).toBe("crashed");
    expect(outcome?.reason).toMatch(/^Instance never healthy after 5s: .*404/);
    expect((await runtime.inspectApp(outcome?.id ?? "")).running).toBe(false);
  });

  it("counts an app without health check as running once it stays up", async () => {
    const json = lrpJson("hello", { healthCheck: { type: "none" } });
    const [outcome] = await launchInstances(planApp(parse(json), options(images.hello)), deps);
    expect(outcome?.state).toBe("running");
    const info = await new Docker().getContainer(outcome?.id ?? "").inspect();
    expect(info.Config.Healthcheck?.Test).toEqual(["NONE"]);
  });

  it("runs on --network NAME, where CF_INSTANCE_IP is that network's gateway", async () => {
    const docker = new Docker();
    const name = `restager-test-net-${suffix}`;
    const network = await docker.createNetwork({
      Name: name,
      Labels: labels,
      IPAM: { Config: [{ Subnet: "10.213.7.0/24", Gateway: "10.213.7.254" }] },
    });
    try {
      const plan = planApp(parse(lrpJson("hello")), options(images.hello, { network: name }));
      const [outcome] = await launchInstances(plan, deps);
      expect(outcome?.state).toBe("running");
      const url = `http://127.0.0.1:${outcome?.ports[0]?.hostPort}/env.txt`;
      const env = parseEnvText(await (await fetch(url)).text());
      expect(env.get("CF_INSTANCE_IP")).toBe("10.213.7.254");
      expect(env.get("CF_INSTANCE_INTERNAL_IP")).toMatch(/^10\.213\.7\.\d+$/);
      await removeInstances(outcome ? [outcome] : [], deps, 1);
    } finally {
      await removeLabelledContainers(role, "1");
      await network.remove();
    }
  });
});
