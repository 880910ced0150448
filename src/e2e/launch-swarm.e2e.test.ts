import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertNoLeakedContainers,
  removeLabelledContainers,
  TEST_RUN_LABEL,
  testRunId,
} from "../testing/docker-leaks.js";
import { buildDesiredLrp } from "../testing/fake-cf/desired-lrp.js";
import type { FakeCfEndpoints } from "../testing/fake-cf/fake-cf-options.js";
import { parseEnvText } from "../testing/launch-env.js";
import { buildLaunchImage, removeImages } from "../testing/launch-images.js";
import { runCli } from "./cli.js";

// `launch --output swarm` against a single-node swarm this file creates (and leaves again) when
// the engine is not in one. Ports are published in host mode: the ingress routing mesh does
// not answer on these machines (no IPVS); a real cluster has it.

const suffix = randomBytes(4).toString("hex");
const role = `io.restager.test-role-swarm-e2e-${suffix}`;
const docker = new Docker();
const app = { appGuid: `5a5b5c5d-0000-4000-8000-${suffix}0001`, appName: `swarm-hello-${suffix}` };
const image = `restager-test/swarm-hello:${suffix}`;
let createdSwarm = false;
let dir = "";

interface SwarmJson {
  service: { id: string; name: string };
  replicas: number;
  running: number;
  tasks: { index: number; id: string; state: string; urls: string[] }[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-swarm-e2e-"));
  const labels = { [TEST_RUN_LABEL]: testRunId(), [role]: "1" };
  await buildLaunchImage({
    app: "hello-shell",
    buildpacks: ["shell"],
    skipDetect: true,
    ...app,
    tag: image,
    labels,
  });
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string } };
  if (info.Swarm?.LocalNodeState !== "active") {
    await docker.swarmInit({ ListenAddr: "127.0.0.1:2377", AdvertiseAddr: "127.0.0.1" });
    createdSwarm = true;
  }
});

afterAll(async () => {
  const services = await docker.listServices({ filters: { label: [`${role}=1`] } }).catch(() => []);
  for (const service of services)
    await docker
      .getService(service.ID)
      .remove()
      .catch(() => undefined);
  await removeLabelledContainers(role, "1");
  if (createdSwarm) await docker.swarmLeave({ force: true });
  await removeImages([image]);
  await rm(dir, { recursive: true, force: true });
});

describe("restager launch --output swarm", () => {
  it("creates a service whose replicas reach the instance count, answer, and are stopped", async () => {
    const json = buildDesiredLrp({
      endpoints: {} as FakeCfEndpoints,
      lifecycleUrl: "http://file-server.invalid/lifecycle.tgz",
      dropletUrl: "http://cc.invalid/droplet",
      startCommand: "",
      memoryMb: 128,
      instances: 2,
      healthCheck: { type: "http", endpoint: "/" },
      ...app,
    });
    const file = join(dir, "lrp.json");
    await writeFile(file, JSON.stringify(json));
    const labels = ["--label", `${TEST_RUN_LABEL}=${testRunId()}`, "--label", `${role}=1`];
    const launched = await runCli("restager", [
      "launch",
      file,
      "--output",
      "swarm",
      "--publish-mode",
      "host",
      "--json",
      ...labels,
    ]);
    expect(launched.stderr).toContain("2 of 2 replicas running");
    expect(launched.exitCode).toBe(0);
    const report = JSON.parse(launched.stdout) as SwarmJson;
    expect(report).toMatchObject({ replicas: 2, running: 2 });
    const indexes = [];
    for (const task of report.tasks) {
      const [url = ""] = task.urls;
      const env = parseEnvText(await (await fetch(`${url}/env.txt`)).text());
      expect(env.get("INSTANCE_GUID")).toBe(task.id);
      expect(env.get("CF_INSTANCE_INDEX")).toBe(String(task.index));
      expect(env.get("CF_INSTANCE_INTERNAL_IP")).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(JSON.parse(env.get("VCAP_APPLICATION") ?? "{}")).toMatchObject({
        instance_index: task.index,
        application_name: app.appName,
      });
      indexes.push(env.get("INSTANCE_INDEX"));
    }
    expect(indexes.sort()).toEqual(["0", "1"]);

    const stopped = await runCli("restager", ["stop", app.appName]);
    expect(stopped.exitCode).toBe(0);
    expect(stopped.stderr).toContain("and 1 Swarm service(s)");
    expect(await docker.listServices({ filters: { label: [`${role}=1`] } })).toEqual([]);
    await assertNoLeakedContainers(role, "1");
  });
});
