import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import {
  assertNoLeakedContainers,
  removeLabelledContainers,
  TEST_RUN_LABEL,
  testRunId,
} from "../testing/docker-leaks.js";
import { buildDesiredLrp, type DesiredLrpOptions } from "../testing/fake-cf/desired-lrp.js";
import type { FakeCfEndpoints } from "../testing/fake-cf/fake-cf-options.js";
import { desiredLrpLogLine } from "../testing/fake-cf/log-lines.js";
import { expectInstanceEnv, parseEnvText } from "../testing/launch-env.js";
import { buildLaunchImage, removeImages } from "../testing/launch-images.js";
import { runCli, startCli } from "./cli.js";

// `restager launch`, `ps` and `stop` end to end: the built CLI against the real engine, running
// launcher images of fixture apps (staged with the fixture lifecycle, laid out as restage's
// image builder lays them out).

const suffix = randomBytes(4).toString("hex");
const role = `io.restager.test-role-launch-e2e-${suffix}`;
const labelArgs = ["--label", `${TEST_RUN_LABEL}=${testRunId()}`, "--label", `${role}=1`];
const docker = new Docker();
const apps = {
  hello: {
    appGuid: `1a2b3c4d-0000-4000-8000-${suffix}0001`,
    appName: `hello-${suffix}`,
    app: "hello-shell",
  },
  crash: {
    appGuid: `1a2b3c4d-0000-4000-8000-${suffix}0002`,
    appName: `crash-${suffix}`,
    app: "crash",
  },
};
const images = {
  hello: `restager-test/e2e-hello:${suffix}`,
  crash: `restager-test/e2e-crash:${suffix}`,
};
let dir = "";

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

async function writeJson(name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(value));
  return path;
}

interface LaunchJson {
  instances: {
    index: number;
    id: string;
    state: string;
    urls: string[];
    ports: { host: number }[];
  }[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-launch-e2e-"));
  const labels = { [TEST_RUN_LABEL]: testRunId(), [role]: "1" };
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
  await rm(dir, { recursive: true, force: true });
});

describe("restager launch", () => {
  it("runs every instance with Diego's env, answers on every port, lists and stops them", async () => {
    const json = lrpJson("hello", {
      instances: 2,
      healthCheck: { type: "http", endpoint: "/" },
      env: [{ name: "HTTPS_PROXY", value: "" }],
    });
    const file = await writeJson("hello.json", json);
    const launched = await runCli("restager", ["launch", file, "--json", ...labelArgs]);
    expect(launched.stderr).toContain(`${apps.hello.appName}: 2 of 2 instances running`);
    expect(launched.stderr).toContain("HTTPS_PROXY was recorded empty");
    expect(launched.exitCode).toBe(0);
    const report = JSON.parse(launched.stdout) as LaunchJson;
    expect(report.instances.map((i) => [i.index, i.state])).toEqual([
      [0, "running"],
      [1, "running"],
    ]);
    for (const instance of report.instances) {
      const [url = ""] = instance.urls;
      expect(await (await fetch(`${url}/`)).text()).toContain("Hello from restager");
      const info = await docker.getContainer(instance.id).inspect();
      const env = parseEnvText(await (await fetch(`${url}/env.txt`)).text());
      const bridge = info.NetworkSettings.Networks.bridge;
      expectInstanceEnv(env, json, {
        index: instance.index,
        hostPort: instance.ports[0]?.host ?? 0,
        hostIp: bridge?.Gateway ?? "",
        internalIp: bridge?.IPAddress ?? "",
      });
    }

    const ps = await runCli("restager", ["ps", "--json"]);
    expect(ps.exitCode).toBe(0);
    const listed = (JSON.parse(ps.stdout) as { name: string; instances: unknown[] }[]).find(
      (a) => a.name === apps.hello.appName,
    );
    expect(listed?.instances).toHaveLength(2);

    const stopped = await runCli("restager", ["stop", apps.hello.appName]);
    expect(stopped.exitCode).toBe(0);
    expect(stopped.stderr).toContain(`Stopped and removed 2 container(s) of ${apps.hello.appName}`);
    await assertNoLeakedContainers(role, "1");
    const again = await runCli("restager", ["stop", apps.hello.appName]);
    expect(again.exitCode).toBe(66);
    expect(again.stderr).toContain("restager ps");
  });

  it("reports a crashing app as crashed with its last lines and exits 1", async () => {
    const file = await writeJson("crash.json", lrpJson("crash"));
    const launched = await runCli("restager", ["launch", file, ...labelArgs]);
    expect(launched.exitCode).toBe(1);
    expect(launched.stdout).toMatch(/^#0 crashed /m);
    expect(launched.stderr).toContain("Instance 0 crashed: APP: Exited with status 1");
    expect(launched.stderr).toContain("[APP/0] ERR crash: cannot start, giving up");
    expect(launched.stderr).toContain("[APP/0] OUT crash: starting up");
    const stopped = await runCli("restager", ["stop", apps.crash.appGuid]);
    expect(stopped.exitCode).toBe(0);
  });

  it("gates on the health check and crashes an app never healthy within --start-timeout", async () => {
    const file = await writeJson(
      "unhealthy.json",
      lrpJson("hello", { healthCheck: { type: "http", endpoint: "/missing" } }),
    );
    const launched = await runCli("restager", [
      "launch",
      file,
      "--start-timeout",
      "4",
      ...labelArgs,
    ]);
    expect(launched.exitCode).toBe(1);
    expect(launched.stderr).toMatch(/Instance 0 crashed: Instance never healthy after 4s: .*404/);
    expect(launched.durationMs).toBeGreaterThanOrEqual(4000);
  });

  it("prints the equivalent docker run lines with secrets masked, starting nothing", async () => {
    const file = await writeJson("dry.json", lrpJson("hello", { instances: 2 }));
    const envFile = join(dir, "app.env");
    await writeFile(envFile, "# from a file\nFROM_FILE=1\nMEMORY_LIMIT=64m\n");
    const dry = await runCli("restager", [
      "launch",
      file,
      "--dry-run",
      "--env-file",
      envFile,
      "--env",
      "API_TOKEN=very-secret-value",
      "--env",
      "FROM_FILE=2",
      "--publish",
      "18080:8080",
      ...labelArgs,
    ]);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout.match(/^docker run \\$/gm)).toHaveLength(2);
    expect(dry.stdout).toContain(`--publish 18080:8080`);
    expect(dry.stdout).toContain(`--publish 18081:8080`);
    expect(dry.stdout).toContain(`--env 'API_TOKEN=<redacted>'`);
    expect(dry.stdout).not.toContain("very-secret-value");
    expect(dry.stdout).toContain("--env FROM_FILE=2 \\\n");
    expect(dry.stdout).toContain("--env MEMORY_LIMIT=64m \\\n");
    expect(dry.stdout).not.toContain("MEMORY_LIMIT=128m");
    expect(dry.stdout).toContain(` ${images.hello} -c `);
    expect(await docker.listContainers({ all: true, filters: { label: [`${role}=1`] } })).toEqual(
      [],
    );
  });

  it("reads lager lines from stdin and, attached, streams logs until Ctrl-C, then removes the instances", async () => {
    const line = desiredLrpLogLine(lrpJson("hello"));
    const running = startCli("restager", ["launch", "--attach", ...labelArgs], {
      input: `${line}\n`,
    });
    await running.waitForStderr(/press Ctrl-C/);
    expect(await docker.listContainers({ filters: { label: [`${role}=1`] } })).toHaveLength(1);
    running.kill("SIGINT");
    const result = await running.result;
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("[APP/0] OUT hello-shell: serving on port 8080");
    expect(result.stderr).toContain("Received SIGINT: stopping and removing the instances");
  });

  it("names the restage command when the app has no image", async () => {
    const file = await writeJson(
      "unknown.json",
      buildDesiredLrp({
        endpoints: {} as FakeCfEndpoints,
        lifecycleUrl: "http://file-server.invalid/lifecycle.tgz",
        dropletUrl: "http://cc.invalid/droplet",
        startCommand: "",
        appGuid: `1a2b3c4d-0000-4000-8000-${suffix}ffff`,
        appName: "nobody",
      }),
    );
    const launched = await runCli("restager", ["launch", file]);
    expect(launched.exitCode).toBe(66);
    expect(launched.stderr).toContain("No image of the app nobody");
    expect(launched.stderr).toMatch(/Hint: Build one with 'restage <staging task>'/);
  });
});

describe("restager launch --output k8s|compose", () => {
  const fixture = join(process.cwd(), "fixtures", "requests", "lrp-cc-2024.json");

  it("writes a Deployment and a Service, private, and warns about the credentials", async () => {
    const out = join(dir, "app.yaml");
    const result = await runCli("restager", [
      "launch",
      fixture,
      "--output",
      "k8s",
      "--out",
      out,
      "--image",
      "registry.example.com/node-env:1",
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`${out} contains credentials`);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const kinds = parseAllDocuments(await readFile(out, "utf8")).map(
      (d) => (d.toJS() as { kind: string }).kind,
    );
    expect(kinds).toEqual(["Deployment", "Service"]);
  });

  it("prints a compose file on stdout (not a terminal) with a warning", async () => {
    const result = await runCli("restager", [
      "launch",
      fixture,
      "--output",
      "compose",
      "--image",
      "restager/node-env:1",
    ]);
    expect(result.exitCode).toBe(0);
    const file = parse(result.stdout) as {
      services: Record<string, { deploy: unknown; environment: Record<string, string> }>;
    };
    expect(file.services["node-env"]?.deploy).toEqual({ replicas: 2 });
    expect(file.services["node-env"]?.environment.VCAP_SERVICES).toContain("p-mysql");
    expect(result.stderr).toContain("the YAML contains credentials");
  });
});
