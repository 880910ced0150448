import diagnostics from "node:diagnostics_channel";
import Docker from "dockerode";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { NoInputError } from "../../../src/errors.js";
import { findFreePort } from "../../../src/launch/host-ports.js";
import {
  assertNoLeakedContainers,
  removeLabelledContainers,
  TEST_RUN_LABEL,
  testRunId,
} from "../../kit/docker-leaks.js";
import type { AppContainerSpec, LogLine } from "../../../src/container/app-runtime.js";
import { DockerApps } from "../../../src/container/docker-apps.js";
import { PortInUseError } from "../../../src/container/port-in-use-error.js";

const image = "restager/stack:bookworm";
const runId = testRunId();
const apps = new DockerApps();
const docker = new Docker();
const role = `io.restager.test-role-${Date.now()}`;
const createdImages: string[] = [];

afterEach(async () => {
  await removeLabelledContainers(role, "apps");
  await assertNoLeakedContainers(role, "apps");
});

afterAll(async () => {
  for (const ref of createdImages)
    await docker
      .getImage(ref)
      .remove({ force: true })
      .catch(() => undefined);
});

async function spec(overrides: Partial<AppContainerSpec> = {}): Promise<AppContainerSpec> {
  const hostPort = await findFreePort(new Set());
  return {
    name: `restager-test-${Math.random().toString(16).slice(2, 10)}`,
    image,
    entrypoint: ["/bin/sh", "-c", 'exec "$@"', "start"],
    cmd: ["busybox", "httpd", "-f", "-p", "8080", "-h", "/etc"],
    user: "vcap",
    workingDir: "/home/vcap",
    env: ["GREETING=hello"],
    labels: { [TEST_RUN_LABEL]: runId, [role]: "apps", "io.restager.kind": "app" },
    ports: [{ containerPort: 8080, hostPort }],
    memoryMb: 64,
    cpuShares: 256,
    nofile: 1024,
    healthcheck: {
      test: ["CMD", "bash", "-c", "echo > /dev/tcp/127.0.0.1/8080"],
      intervalMs: 500,
      timeoutMs: 2000,
      retries: 3,
      startPeriodMs: 10_000,
    },
    ...overrides,
  };
}

async function until<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("DockerApps", () => {
  it("runs an app container with its ports, limits and health check, and lists it", async () => {
    const app = await spec();
    const id = await apps.runApp(app);
    const state = await until(
      () => apps.inspectApp(id),
      (s) => s.health !== "starting",
    );
    expect(state).toMatchObject({ running: true, health: "healthy", name: app.name });
    expect(state.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const hostPort = app.ports[0]?.hostPort ?? 0;
    const response = await fetch(`http://127.0.0.1:${hostPort}/passwd`);
    expect(await response.text()).toContain("vcap:x:2000");
    const info = await docker.getContainer(id).inspect();
    expect(info.Config.User).toBe("vcap");
    expect(info.Config.Env).toContain("GREETING=hello");
    expect(info.HostConfig).toMatchObject({
      Memory: 64 * 1024 * 1024,
      CpuShares: 256,
      Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 1024 }],
      RestartPolicy: { Name: "no" },
      Init: true,
    });
    const listed = await apps.listApps([`${role}=apps`]);
    expect(listed.map((c) => [c.name, c.ports])).toEqual([
      [app.name, [{ containerPort: 8080, hostPort, hostIp: undefined }]],
    ]);
    await apps.stopAndRemove(id, 1);
    expect(await apps.listApps([`${role}=apps`])).toEqual([]);
  });

  it("rejects a taken host port with PortInUseError and leaves no container", async () => {
    const first = await spec();
    await apps.runApp(first);
    const clash = apps.runApp(await spec({ ports: first.ports }));
    await expect(clash).rejects.toBeInstanceOf(PortInUseError);
    await expect(clash).rejects.toMatchObject({ hostPort: first.ports[0]?.hostPort });
    expect(await apps.listApps([`${role}=apps`])).toHaveLength(1);
  });

  it("reads the last log lines and follows the logs until the container stops", async () => {
    const script = "echo one; echo two >&2; echo three; exit 3";
    const id = await apps.runApp(
      await spec({ cmd: ["sh", "-c", script], ports: [], healthcheck: undefined }),
    );
    const followed: LogLine[] = [];
    await apps.followLogs(id, (line) => followed.push(line), new AbortController().signal);
    // Docker captures the two streams separately: order holds within a stream only.
    const texts = (lines: LogLine[], stream: string) =>
      lines.filter((l) => l.stream === stream).map((l) => l.text);
    expect(texts(followed, "out")).toEqual(["one", "three"]);
    expect(texts(followed, "err")).toEqual(["two"]);
    const tail = await apps.tailLogs(id, 3);
    expect([texts(tail, "out"), texts(tail, "err")]).toEqual([["one", "three"], ["two"]]);
    expect(await apps.tailLogs(id, 1)).toHaveLength(1);
    expect(await apps.inspectApp(id)).toMatchObject({
      running: false,
      exitCode: 3,
      health: "none",
    });
  });

  it("starts a detached process in a running container and stops without removing", async () => {
    const id = await apps.runApp(await spec({ healthcheck: undefined }));
    await apps.execDetached(id, {
      argv: ["sh", "-c", 'echo "$SSHD_ENV" > /tmp/sshd.txt'],
      env: ["SSHD_ENV=from-exec"],
      user: "vcap",
      workingDir: "/home/vcap",
    });
    const exec = await docker
      .getContainer(id)
      .exec({ Cmd: ["cat", "/tmp/sshd.txt"], AttachStdout: true });
    const output = await until(
      async () => {
        const stream = await exec.start({ hijack: true, stdin: false });
        const chunks: Buffer[] = [];
        for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
        return Buffer.concat(chunks).toString();
      },
      (text) => text.includes("from-exec"),
      2000,
    );
    expect(output).toContain("from-exec");
    await apps.stopApp(id, 1);
    expect(await apps.inspectApp(id)).toMatchObject({ running: false });
  });

  it("touches a file in the container's root as the owner of its neighbour, after a restart too", async () => {
    const id = await apps.runApp(
      await spec({
        healthcheck: undefined,
        cmd: ["sh", "-c", "mkdir -p /tmp/m && touch /tmp/m/started && exec sleep 600"],
      }),
    );
    const listing = () =>
      until(
        async () => {
          const exec = await docker.getContainer(id).exec({
            Cmd: ["sh", "-c", "stat -c '%U %n' /tmp/m/* 2>/dev/null"],
            AttachStdout: true,
          });
          const stream = await exec.start({ hijack: true, stdin: false });
          const chunks: Buffer[] = [];
          for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
          return Buffer.concat(chunks).toString();
        },
        (text) => text.includes("started"),
      );
    await listing();
    // inspectApp saw the container's process: the touch uses it.
    expect(await apps.inspectApp(id)).toMatchObject({ running: true });
    const marker = { path: "/tmp/m/live", ownerOf: "/tmp/m/started" };
    const requests: string[] = [];
    const record = (message: unknown) => {
      requests.push((message as { request: { path: string } }).request.path);
    };
    diagnostics.subscribe("http.client.request.start", record);
    try {
      expect(await apps.touchFile(id, marker)).toBe(true);
    } finally {
      diagnostics.unsubscribe("http.client.request.start", record);
    }
    expect(requests).toEqual([]); // no engine request: the process was known
    expect(await listing()).toContain("vcap /tmp/m/live");
    // A restart gives the container another process; the one seen before is not used.
    await docker.getContainer(id).restart({ t: 0 });
    await listing();
    await docker
      .getContainer(id)
      .exec({ Cmd: ["rm", "-f", "/tmp/m/live"] })
      .then((e) => e.start({}));
    const touched = await until(
      () => apps.touchFile(id, { path: "/tmp/m/again", ownerOf: "/tmp/m/started" }),
      (done) => done,
    );
    expect(touched).toBe(true);
    expect(await listing()).toContain("vcap /tmp/m/again");
  });

  it("finds the gateway of the default bridge and refuses an unknown network", async () => {
    expect(await apps.networkGateway()).toMatch(/^\d+\.\d+\.\d+\.1$/);
    await expect(apps.networkGateway("restager-no-such-network")).rejects.toBeInstanceOf(
      NoInputError,
    );
  });

  it("takes the most recently tagged image of an app as its newest", async () => {
    const guid = `guid-${runId}`;
    const container = await docker.createContainer({
      Image: image,
      Labels: { [TEST_RUN_LABEL]: runId, [role]: "apps", "io.restager.app-guid": guid },
    });
    const first = `restager-test/newest:${runId}-a`;
    const second = `restager-test/newest:${runId}-b`;
    createdImages.push(first, second, `restager-test/newest:${runId}-a2`);
    await container.commit({ repo: "restager-test/newest", tag: `${runId}-a` });
    await container.commit({ repo: "restager-test/newest", tag: `${runId}-b` });
    await container.remove({ force: true });
    expect((await apps.newestImage("io.restager.app-guid", guid))?.ref).toBe(second);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await docker.getImage(first).tag({ repo: "restager-test/newest", tag: `${runId}-a2` });
    expect((await apps.newestImage("io.restager.app-guid", guid))?.id).toBe(
      (await apps.findImage(first))?.id,
    );
    expect(await apps.newestImage("io.restager.app-guid", "no-such-guid")).toBeUndefined();
  });
});
