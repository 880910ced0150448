import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { Header } from "tar";
import { afterEach, describe, expect, it } from "vitest";
import { assertNoLeakedContainers, TEST_RUN_LABEL } from "../../kit/docker-leaks.js";
import type { Container } from "../../../src/container/container.js";
import { DockerRuntime } from "../../../src/container/docker-runtime.js";

const image = "restager/stack:bookworm";
const runId = `volumes-${randomUUID()}`;
const labels = { [TEST_RUN_LABEL]: runId };
const runtime = new DockerRuntime();
const made: string[] = [];
const containers: Container[] = [];

function volumeName(): string {
  const name = `restager-test-${randomUUID().slice(0, 12)}`;
  made.push(name);
  return name;
}

afterEach(async () => {
  await Promise.all(containers.splice(0).map((c) => c.remove()));
  for (const name of made.splice(0)) await runtime.volumes.remove(name);
  await assertNoLeakedContainers(TEST_RUN_LABEL, runId);
});

function fileTar(path: string, content: string): Readable {
  const body = Buffer.from(content);
  const block = Buffer.alloc(512);
  new Header({ path, type: "File", mode: 0o644, size: body.length, uid: 0, gid: 0 }).encode(block);
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Readable.from([Buffer.concat([block, body, padding, Buffer.alloc(1024)])]);
}

async function sh(target: Container, script: string) {
  let out = "";
  const io = {
    stdout: (c: Buffer) => (out += c.toString()),
    stderr: (c: Buffer) => (out += c.toString()),
  };
  const process = await target.exec(
    { path: "/bin/sh", args: ["-c", script], env: [], user: "root" },
    io,
  );
  return { exitCode: await process.wait(), out };
}

describe("DockerVolumes", () => {
  it("creates once: a second create answers the first creator's labels", async () => {
    const name = volumeName();
    const first = await runtime.volumes.create(name, { token: "first" });
    const second = await runtime.volumes.create(name, { token: "second" });
    expect(first.labels).toEqual({ token: "first" });
    expect(second.labels).toEqual({ token: "first" });
    expect(Date.now() - second.createdAt.getTime()).toBeLessThan(60_000);
    const listed = await runtime.volumes.list("token", "first");
    expect(listed.map((v) => v.name)).toContain(name);
    expect(await runtime.volumes.inspect(`${name}-missing`)).toBeUndefined();
  });

  it("fills a volume through an unstarted container, then mounts it read-only", async () => {
    const name = volumeName();
    await runtime.volumes.create(name, {});
    const filler = await runtime.createUnstarted({
      image,
      env: [],
      labels,
      network: "none",
      volumes: [{ name, target: "/restager-fill/0", readOnly: false }],
    });
    containers.push(filler);
    await filler.putArchive("/", fileTar("restager-fill/0/hello.txt", "hi"));
    expect((await runtime.volumes.users(name)).map((u) => u.id)).toEqual([filler.id]);
    expect(await runtime.volumes.remove(name)).toBe(false);
    await filler.remove();

    const reader = await runtime.createIdle({
      image,
      env: [],
      labels,
      volumes: [{ name, target: "/tmp/dep", readOnly: true }],
    });
    containers.push(reader);
    expect(await sh(reader, "cat /tmp/dep/hello.txt")).toEqual({ exitCode: 0, out: "hi" });
    const write = await sh(reader, "touch /tmp/dep/new 2>&1");
    expect(write.exitCode).not.toBe(0);
    expect(write.out).toMatch(/Read-only file system/);
  });

  it("hides what the image has at the target instead of copying it into the volume", async () => {
    const name = volumeName();
    await runtime.volumes.create(name, {});
    const reader = await runtime.createIdle({
      image,
      env: [],
      labels,
      volumes: [{ name, target: "/etc/apt", readOnly: true }],
    });
    containers.push(reader);
    expect(await sh(reader, "ls -A /etc/apt | wc -l")).toEqual({ exitCode: 0, out: "0\n" });
  });

  it("removes a missing volume without complaint", async () => {
    expect(await runtime.volumes.remove(`restager-test-${randomUUID()}`)).toBe(true);
  });
});
