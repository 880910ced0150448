/**
 * What `launch` prints or writes instead of running: `--dry-run` (docker run lines, secrets
 * masked) and `--output k8s|compose` (YAML that parses, with the LRP's replicas, env, ports and
 * health check), for an app whose image restage built (found by label, as without --image).
 */
import { execFile } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { listRestagerContainers } from "../kit/docker-leaks.js";
import { buildDesiredLrp } from "../kit/fake-cf/desired-lrp.js";
import type { FakeCfEndpoints } from "../kit/fake-cf/fake-cf-options.js";
import { expectInstanceEnv, parseEnvText } from "../kit/launch-env.js";
import { runCli } from "../kit/e2e/cli.js";
import { expectExit, expectNoSecrets } from "../kit/e2e/expectations.js";
import { runEnv, uniqueAppName, useRestagedApps } from "../kit/e2e/restaged-app.js";
import { useLaunchRole } from "../kit/e2e/launch-role.js";

const { role, labelArgs } = useLaunchRole("launch-out-e2e");
const apps = useRestagedApps({ hello: { app: "hello-shell", appName: uniqueAppName("hello") } });
const password = "db-pa55-e2e-secret";
const vcapServices = {
  "p-mysql": [
    {
      name: "db",
      label: "p-mysql",
      credentials: { username: "app", password, uri: `mysql://app:${password}@db.internal/app` },
    },
  ],
};

/** hello's LRP: three instances, an HTTP health check, VCAP_SERVICES with a password. */
async function helloLrp() {
  const { hello } = apps();
  const lrp = hello.lrp({
    instances: 3,
    healthCheck: { type: "http", endpoint: "/" },
    vcapServices,
  });
  return { hello, lrp, ...(await hello.writeLrp("hello", lrp)) };
}

type K8sEnv = { name: string; value?: string; valueFrom?: { fieldRef: { fieldPath: string } } };
interface K8sDoc {
  kind: string;
  spec: {
    replicas?: number;
    ports?: { port: number; targetPort: number }[];
    template?: { spec: { containers: Record<string, unknown>[] } };
  };
}

describe("restager launch --dry-run", () => {
  it("prints one docker run line per instance, secrets masked, and starts nothing", async () => {
    const { hello, file } = await helloLrp();
    const envFile = join(hello.e2e.dir, "app.env");
    await writeFile(envFile, "# from a file\nFROM_FILE=1\nMEMORY_LIMIT=64m\n");
    const dry = await runCli(
      "restager",
      [
        ...["launch", file, "--dry-run", "--instances", "2", "--env-file", envFile],
        ...["--env", "API_TOKEN=very-secret-value", "--env", "FROM_FILE=2"],
        ...["--publish", "18080:8080", ...labelArgs],
      ],
      hello.cli(),
    );
    expectExit(dry, 0);
    expect(dry.stdout.match(/^docker run \\$/gm)).toHaveLength(2);
    expect(dry.stdout).toContain("--publish 18080:8080");
    expect(dry.stdout).toContain("--publish 18081:8080");
    expect(dry.stdout).toContain("--env 'API_TOKEN=<redacted>'");
    expect(dry.stdout).toContain("--env 'VCAP_SERVICES=<redacted>'");
    expect(dry.stdout).toContain("--env FROM_FILE=2 \\\n");
    expect(dry.stdout).toContain("--env MEMORY_LIMIT=64m \\\n");
    expect(dry.stdout).not.toContain("MEMORY_LIMIT=128m");
    expect(dry.stdout).toContain("--memory 128m");
    expect(dry.stdout).toContain(
      "--health-cmd 'if /tmp/lifecycle/healthcheck -port=8080 -uri=/; then",
    );
    expect(dry.stdout).toContain("--restart unless-stopped \\\n");
    expect(dry.stdout).toContain(` ${hello.image.tags[0]} -c `);
    expect(dry.stdout).toContain(" restager-start /tmp/lifecycle/launcher app 'bash run.sh' ''");
    expectNoSecrets(dry, [password, "very-secret-value"]);
    expect(await listRestagerContainers(`${role}=1`)).toEqual([]);
  });

  it("prints a line that docker runs as launch would: the app answers with Diego's env", async () => {
    const { hello } = apps();
    const lrp = hello.lrp({ healthCheck: { type: "http", endpoint: "/" } });
    const { file } = await hello.writeLrp("plain", lrp);
    const dry = await runCli("restager", ["launch", file, "--dry-run", ...labelArgs], hello.cli());
    expectExit(dry, 0);
    const { stdout: id } = await promisify(execFile)("bash", ["-c", dry.stdout]);
    const container = new Docker().getContainer(id.trim());
    // The printed liveness check runs every 30 s (Diego's healthy interval); launch itself runs
    // the first check at once, so here the app answering is what says it started.
    const port = Number(/--publish (\d+):8080/.exec(dry.stdout)?.[1]);
    await eventually(async () => {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        signal: AbortSignal.timeout(2000),
      });
      if (response.status !== 200) throw new Error(`the app answered ${response.status}`);
    }, 30_000);
    const info = await container.inspect();
    const hostPort = Number(/--publish (\d+):8080/.exec(dry.stdout)?.[1]);
    const guid = /--env INSTANCE_GUID=(\S+)/.exec(dry.stdout)?.[1];
    const url = `http://127.0.0.1:${hostPort}/env.txt`;
    const env = parseEnvText(
      await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text(),
    );
    expect(env.get("INSTANCE_GUID")).toBe(guid);
    const bridge = info.NetworkSettings.Networks.bridge;
    expectInstanceEnv(env, lrp, {
      index: 0,
      hostPort,
      hostIp: bridge?.Gateway ?? "",
      internalIp: bridge?.IPAddress ?? "",
    });
    const stopped = await runCli("restager", ["stop", hello.appName], hello.cli());
    expect(stopped.stderr).toContain(`Stopped and removed 1 container(s) of ${hello.appName}`);
  });

  it("names the restage command when the app has no image", async () => {
    const { hello } = apps();
    const nobody = buildDesiredLrp({
      endpoints: {} as FakeCfEndpoints,
      lifecycleUrl: "http://file-server.invalid/lifecycle.tgz",
      dropletUrl: "http://cc.invalid/droplet",
      startCommand: "",
      appGuid: "1a2b3c4d-0000-4000-8000-00000000ffff",
      appName: "nobody",
    });
    const { file } = await hello.writeLrp("nobody", nobody);
    const launched = await runCli("restager", ["launch", file, "--dry-run"], hello.cli());
    expectExit(launched, 66);
    expect(launched.stderr).toContain("No image of the app nobody");
    expect(launched.stderr).toMatch(/Hint: Build one with 'restage <staging task>'/);
  });
});

describe("restager launch --output k8s|compose", () => {
  it("writes a StatefulSet and Services with the LRP's replicas, env, ports, probes and pod-ordinal index", async () => {
    const { hello, lrp, file } = await helloLrp();
    const out = join(hello.e2e.dir, "app.yaml");
    const run = await runCli(
      "restager",
      ["launch", file, "--output", "k8s", "--out", out],
      hello.cli(),
    );
    expectExit(run, 0);
    expect(run.stderr).toContain(`${out} contains credentials`);
    expect(run.stderr).toContain("a StatefulSet, a Service and a headless Service");
    expect(run.stderr).not.toContain("INSTANCE_INDEX=0");
    expectNoSecrets(run, [password]);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const docs = parseAllDocuments(await readFile(out, "utf8")).map((d) => d.toJS() as K8sDoc);
    expect(docs.map((d) => d.kind)).toEqual(["StatefulSet", "Service", "Service"]);
    const [deployment, service] = docs;
    expect(deployment?.spec.replicas).toBe(3);
    const container = deployment?.spec.template?.spec.containers[0] ?? {};
    expect(container.image).toBe(hello.image.tags[0]);
    expect(container.args).toEqual(["/tmp/lifecycle/launcher", "app", "bash run.sh", ""]);
    expect(container.ports).toEqual([{ containerPort: 8080, protocol: "TCP" }]);
    expect(container.resources).toEqual({
      limits: { memory: "128Mi" },
      requests: expect.objectContaining({ memory: "128Mi" }) as unknown,
    });
    const env = new Map((container.env as K8sEnv[]).map((v) => [v.name, v]));
    for (const { name, value } of [...(lrp.env as K8sEnv[]), ...runEnv(lrp)])
      expect(env.get(name)?.value, name).toBe(value);
    const podIndex = "metadata.labels['apps.kubernetes.io/pod-index']";
    expect(env.get("INSTANCE_INDEX")?.valueFrom?.fieldRef.fieldPath).toBe(podIndex);
    expect(env.get("CF_INSTANCE_INDEX")?.valueFrom?.fieldRef.fieldPath).toBe(podIndex);
    expect(env.get("CF_INSTANCE_GUID")?.valueFrom?.fieldRef.fieldPath).toBe("metadata.uid");
    expect(env.get("CF_INSTANCE_IP")?.valueFrom?.fieldRef.fieldPath).toBe("status.podIP");
    expect(env.get("CF_INSTANCE_PORT")?.value).toBe("8080");
    const probe = { httpGet: { path: "/", port: 8080 }, periodSeconds: 2, timeoutSeconds: 1 };
    expect(container.startupProbe).toEqual({ ...probe, failureThreshold: 30 });
    expect(container.livenessProbe).toMatchObject({ httpGet: probe.httpGet, failureThreshold: 1 });
    expect(container.readinessProbe).toEqual(probe);
    expect(service?.spec.ports).toEqual([
      { name: "port-8080", port: 8080, targetPort: 8080, protocol: "TCP" },
    ]);
  });

  it("with --k8s-kind deployment: a Deployment whose replicas all get index 0, with a warning", async () => {
    const { hello, file } = await helloLrp();
    const args = ["launch", file, "--output", "k8s", "--k8s-kind", "deployment"];
    const run = await runCli("restager", args, hello.cli());
    expectExit(run, 0);
    expect(run.stderr).toContain("a Deployment gives its replicas no index");
    const docs = parseAllDocuments(run.stdout).map((d) => d.toJS() as K8sDoc);
    expect(docs.map((d) => d.kind)).toEqual(["Deployment", "Service"]);
    const container = docs[0]?.spec.template?.spec.containers[0] ?? {};
    const env = new Map((container.env as K8sEnv[]).map((v) => [v.name, v]));
    expect(env.get("INSTANCE_INDEX")?.value).toBe("0");
    expect(env.get("CF_INSTANCE_INDEX")?.value).toBe("0");
  });

  it("prints a compose file on stdout (not a terminal) that keeps the credentials, with a warning", async () => {
    const { hello, lrp, file } = await helloLrp();
    const run = await runCli("restager", ["launch", file, "--output", "compose"], hello.cli());
    expectExit(run, 0);
    expect(run.stderr).toContain("the YAML contains credentials");
    expect(run.stderr).not.toContain(password);
    const compose = parse(run.stdout) as { name: string; services: Record<string, ComposeService> };
    const names = [0, 1, 2].map((index) => `${compose.name}-${index}`);
    expect(Object.keys(compose.services)).toEqual(names);
    for (const [index, name] of names.entries()) {
      expect(compose.services[name]?.environment.INSTANCE_INDEX).toBe(String(index));
      expect(compose.services[name]?.environment.CF_INSTANCE_INDEX).toBe(String(index));
    }
    const service = compose.services[`${compose.name}-0`];
    expect(service?.image).toBe(hello.image.tags[0]);
    expect(service?.deploy).toBeUndefined();
    expect(service?.ports).toEqual(["8080"]);
    expect(service?.mem_limit).toBe("128m");
    expect(service?.healthcheck.test).toEqual([
      "CMD",
      "/tmp/lifecycle/healthcheck",
      "-port=8080",
      "-uri=/",
    ]);
    for (const { name, value } of [...(lrp.env as K8sEnv[]), ...runEnv(lrp)])
      expect(service?.environment[name], name).toBe(value);
    expect(service?.environment.VCAP_SERVICES).toContain(password);
    expect(service?.environment.INSTANCE_INDEX).toBe("0");
  });

  it("reads a Cloud Controller 2024 LRP with --image: no engine lookup needed", async () => {
    const { hello } = apps();
    const fixture = join(process.cwd(), "fixtures", "requests", "lrp-cc-2024.json");
    const args = ["launch", fixture, "--output", "compose", "--image", "restager/node-env:1"];
    const run = await runCli("restager", args, hello.cli());
    expectExit(run, 0);
    const compose = parse(run.stdout) as { services: Record<string, ComposeService> };
    expect(Object.keys(compose.services)).toEqual(["node-env-0", "node-env-1"]);
    expect(compose.services["node-env-1"]?.environment.INSTANCE_INDEX).toBe("1");
    expect(compose.services["node-env-1"]?.environment.VCAP_SERVICES).toContain("p-mysql");
  });
});

interface ComposeService {
  image: string;
  deploy: unknown;
  ports: string[];
  mem_limit: string;
  healthcheck: { test: string[] };
  environment: Record<string, string>;
}

/** `probe()` once it resolves, retrying every 250 ms until `timeoutMs` passed. */
async function eventually<T>(probe: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
