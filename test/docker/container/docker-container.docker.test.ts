import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CancelledError } from "../../../src/errors.js";
import type { Container } from "../../../src/container/container.js";
import { DockerRuntime } from "../../../src/container/docker-runtime.js";
import { shellIn, tarOf } from "../../kit/container-shell.js";
import { PathMissingError } from "../../../src/container/path-missing-error.js";
import { readTarFirstFile } from "../../../src/container/tar-first-file.js";

const image = "restager/stack:bookworm";
const testLabel = "io.restager.test-run";
const runId = `container-${randomUUID()}`;
const labels = { [testLabel]: runId };
const runtime = new DockerRuntime();
const docker = new Docker();
let container: Container;

const sh = shellIn;

beforeAll(async () => {
  await runtime.ping();
  container = await runtime.createIdle({ image, env: [], labels });
});

afterEach(async () => {
  // Containers a test creates for itself must not outlive it.
  const left = await runtime.findContainers(testLabel, runId);
  expect(left.map((c) => c.id)).toEqual([container.id]);
});

afterAll(async () => {
  await runtime.removeLabelled(testLabel, runId);
  expect(await runtime.findContainers(testLabel, runId)).toEqual([]);
});

describe("archives", () => {
  it("extracts into a missing directory and keeps the entries' numeric owner", async () => {
    await container.putArchive(
      "/tmp/dest/nested",
      tarOf([
        { path: "app/", uid: 2000, gid: 2000 },
        { path: "app/hello.txt", content: "hello\n", uid: 2000, gid: 2000 },
        { path: "root-owned.txt", content: "r", uid: 0, gid: 0 },
      ]),
    );
    const owners = await sh(
      container,
      "cd /tmp/dest/nested && stat -c '%n %u:%g %U' app app/hello.txt root-owned.txt",
    );
    expect(owners.stdout).toBe(
      "app 2000:2000 vcap\napp/hello.txt 2000:2000 vcap\nroot-owned.txt 0:0 root\n",
    );
    expect((await sh(container, "cat /tmp/dest/nested/app/hello.txt")).stdout).toBe("hello\n");
  });

  it("streams a file out as a tar archive", async () => {
    const tar = tarOf([{ path: "f.txt", content: "x1", uid: 0, gid: 0 }]);
    await container.putArchive("/tmp/out", tar);
    const content = await readTarFirstFile(await container.getArchive("/tmp/out/f.txt"));
    expect(content?.toString()).toBe("x1");
  });

  it("reads a regular file straight from the container's root on this host, never through a link", async () => {
    const tar = tarOf([{ path: "result.json", content: '{"a":1}', uid: 2000, gid: 2000 }]);
    await container.putArchive("/tmp/direct", tar);
    const opened = await container.openFile("/tmp/direct/result.json");
    const chunks: Buffer[] = [];
    for await (const chunk of opened?.stream ?? []) chunks.push(chunk as Buffer);
    expect([opened?.sizeBytes, Buffer.concat(chunks).toString()]).toEqual([7, '{"a":1}']);
    // A link the container planted (to this host's files, were it followed from here).
    await sh(
      container,
      "ln -s /etc/hostname /tmp/direct/link && mkdir -p /tmp/d && ln -s /etc /tmp/d/etc",
    );
    expect(await container.openFile("/tmp/direct/link")).toBeUndefined();
    expect(await container.openFile("/tmp/d/etc/hostname")).toBeUndefined();
    expect(await container.openFile("/tmp/direct")).toBeUndefined();
    expect(await container.openFile("/no/such/file")).toBeUndefined();
  });

  it("reports a missing path", async () => {
    await expect(container.getArchive("/no/such/file")).rejects.toBeInstanceOf(PathMissingError);
  });

  it("does not start when already cancelled, and releases the tar stream", async () => {
    const controller = new AbortController();
    controller.abort(new CancelledError());
    const tar = tarOf([{ path: "never.txt", content: "n", uid: 0, gid: 0 }]);
    await expect(
      container.putArchive("/tmp/never", tar, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(tar.destroyed).toBe(true);
    expect((await sh(container, "test -e /tmp/never")).exitCode).toBe(1);
  });
});

describe("container", () => {
  it("looks users up in the image's /etc/passwd", async () => {
    expect(await container.lookupUser("vcap")).toEqual({
      name: "vcap",
      uid: 2000,
      gid: 2000,
      home: "/home/vcap",
    });
    await expect(container.lookupUser("ghost")).rejects.toThrow("user 'ghost' does not exist");
  });

  it("creates an idle container with the requested limits and labels", async () => {
    const limited = await runtime.createIdle({
      image,
      env: [],
      labels: { ...labels, "io.restager.kind": "staging" },
      memoryMb: 64,
      cpuShares: 512,
      nofile: 4096,
      maxPids: 256,
      extraHosts: ["example.test:10.1.2.3"],
    });
    const info = await docker.getContainer(limited.id).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(info.HostConfig.MemorySwap).toBe(64 * 1024 * 1024);
    expect(info.HostConfig.CpuShares).toBe(512);
    expect(info.HostConfig.PidsLimit).toBe(256);
    expect(info.HostConfig.Ulimits).toEqual([{ Name: "nofile", Soft: 4096, Hard: 4096 }]);
    expect(info.HostConfig.Binds ?? []).toEqual([]);
    expect(info.Mounts).toEqual([]);
    expect(info.Config.Labels).toMatchObject({
      "io.restager.managed": "true",
      "io.restager.kind": "staging",
      [testLabel]: runId,
    });
    expect((await sh(limited, "getent hosts example.test")).stdout).toContain("10.1.2.3");
    expect((await sh(limited, "ulimit -n", "vcap")).stdout).toBe("4096\n");
    await limited.remove();
  });

  it("reports an OOM kill of an exec'd process", async () => {
    const small = await runtime.createIdle({ image, env: [], labels, memoryMb: 32 });
    expect(await small.wasOomKilled()).toBe(false);
    const hog = await sh(small, "head -c 200000000 /dev/zero | tail > /dev/null", "vcap");
    expect(hog.exitCode).not.toBe(0);
    expect(await small.wasOomKilled()).toBe(true);
    await small.remove();
  });

  it("removes idempotently", async () => {
    const doomed = await runtime.createIdle({ image, env: [], labels });
    await doomed.remove();
    await doomed.remove();
    await expect(docker.getContainer(doomed.id).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(await doomed.wasOomKilled()).toBe(false);
  });

  it("reads ahead without changing what lookups, stream-ins and processes answer", async () => {
    const fresh = await runtime.createIdle({ image, env: [], labels });
    try {
      // ghost does not exist; nobody's home (/nonexistent) is missing until a process makes it.
      fresh.readAhead(["vcap", "ghost", "nobody"]);
      await expect(fresh.lookupUser("ghost")).rejects.toThrow("user 'ghost' does not exist");
      expect((await sh(fresh, "pwd", "vcap")).stdout).toBe("/home/vcap\n");
      expect((await sh(fresh, "pwd", "nobody")).stdout).toBe("/\n");
      await fresh.streamIn("/tmp/in", tarOf([{ path: "f.txt", content: "x" }]), { user: "vcap" });
      expect((await sh(fresh, "stat -c %U /tmp/in/f.txt")).stdout).toBe("vcap\n");
      await sh(fresh, "mkdir /nonexistent && chown nobody /nonexistent");
      expect((await sh(fresh, "pwd", "nobody")).stdout).toBe("/nonexistent\n");
    } finally {
      await fresh.remove();
    }
  });

  it("answers through the container's root only what it finds there without links", async () => {
    const fresh = await runtime.createIdle({ image, env: [], labels });
    try {
      // A home and a passwd file behind links are still asked about inside the container.
      const relink = "mv /home/vcap /home/vcap.real && ln -s /home/vcap.real /home/vcap";
      await sh(
        fresh,
        `${relink} && cp /etc/passwd /etc/passwd.real && ln -sf passwd.real /etc/passwd`,
      );
      // The home counts (a missing one would give `/`); the process sees where the link leads.
      expect((await sh(fresh, "pwd", "vcap")).stdout).toBe("/home/vcap.real\n");
      expect(await fresh.lookupUser("vcap")).toMatchObject({ uid: 2000, home: "/home/vcap" });
      await fresh.streamIn("app", tarOf([{ path: "f.txt", content: "x" }]), { user: "vcap" });
      expect((await sh(fresh, "stat -c %U /home/vcap.real/app/f.txt")).stdout).toBe("vcap\n");
    } finally {
      await fresh.remove();
    }
  });

  it("stops fast on TERM (the idle process traps it)", async () => {
    const idle = await runtime.createIdle({ image, env: [], labels });
    const begin = Date.now();
    await docker.getContainer(idle.id).stop({ t: 10 });
    expect(Date.now() - begin).toBeLessThan(5000);
    await idle.remove();
  });
});
