/**
 * `launch --output swarm` against a single-node swarm this file creates (and leaves again) when
 * the engine is not in one, running the image `restage` built from a fixture app. Ports are
 * published in host mode: the ingress routing mesh does not answer on these machines (no IPVS);
 * a real cluster has it.
 */
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  listRestagerContainers,
  removeLabelledContainers,
  TEST_RUN_LABEL,
  testRunId,
} from "../kit/docker-leaks.js";
import { expectRecordedEnv, parseEnvText } from "../kit/launch-env.js";
import { pipeCli, runCli } from "../kit/e2e/cli.js";
import { expectExit } from "../kit/e2e/expectations.js";
import { uniqueAppName, useRestagedApps } from "../kit/e2e/restaged-app.js";

const role = `io.restager.test-role-${uniqueAppName("swarm-e2e")}`;
const docker = new Docker();
const apps = useRestagedApps({ hello: { app: "hello-shell", appName: uniqueAppName("swarm") } });
let createdSwarm = false;

interface SwarmJson {
  image: string;
  service: { id: string; name: string };
  replicas: number;
  running: number;
  tasks: { index: number; id: string; state: string; urls: string[] }[];
}

beforeAll(async () => {
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
});

describe("restager launch --output swarm", () => {
  it("launch-req | launch: a service whose replicas reach the instance count, answer, and are stopped", async () => {
    const { hello } = apps();
    const lrp = hello.lrp({ instances: 2, healthCheck: { type: "http", endpoint: "/" } });
    const { logFile } = await hello.writeLrp("swarm", lrp);
    const labels = ["--label", `${TEST_RUN_LABEL}=${testRunId()}`, "--label", `${role}=1`];
    const { from, to: launched } = await pipeCli(
      { bin: "launch-req", args: ["--log", logFile] },
      {
        bin: "restager",
        args: ["launch", "--output", "swarm", "--publish-mode", "host", "--json", ...labels],
      },
      hello.cli(),
    );
    expectExit(from, 0);
    expectExit(launched, 0);
    expect(launched.stderr).toContain("2 of 2 replicas running");
    const report = JSON.parse(launched.stdout) as SwarmJson;
    expect(report).toMatchObject({ replicas: 2, running: 2 });
    expect(hello.image.tags).toContain(report.image);
    const indexes = [];
    for (const task of report.tasks) {
      const [url = ""] = task.urls;
      const response = await fetch(`${url}/env.txt`);
      expect(response.status).toBe(200);
      const env = parseEnvText(await response.text());
      expect(env.get("INSTANCE_GUID")).toBe(task.id);
      expect(env.get("CF_INSTANCE_GUID")).toBe(task.id);
      expect(env.get("CF_INSTANCE_INDEX")).toBe(String(task.index));
      expect(env.get("CF_INSTANCE_INTERNAL_IP")).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(env.get("CF_INSTANCE_PORTS")).toBe('[{"internal":8080}]');
      expectRecordedEnv(env, lrp, task.index);
      indexes.push(env.get("INSTANCE_INDEX"));
      expect(await (await fetch(`${url}/`)).text()).toContain("Hello from restager");
    }
    expect(indexes.sort()).toEqual(["0", "1"]);

    const stopped = await runCli("restager", ["stop", hello.appName], hello.cli());
    expectExit(stopped, 0);
    expect(stopped.stderr).toContain("and 1 Swarm service(s)");
    expect(await docker.listServices({ filters: { label: [`${role}=1`] } })).toEqual([]);
    expect(await listRestagerContainers(`${role}=1`)).toEqual([]);
  });
});
