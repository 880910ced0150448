/**
 * dockerAppImage on the real engine: a Docker-image app's image gets the docker lifecycle as
 * one layer on top (its own layers referenced, its env kept), once per image and lifecycle; a
 * pull that fails falls back to the engine's copy with a warning, and fails without one.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerImageStore } from "../../../src/container/docker-image-store.js";
import { dockerAppImage } from "../../../src/image/docker-app-image.js";
import { defaultImageTime } from "../../../src/image/image-time.js";
import { TEST_RUN_LABEL, testRunId } from "../../kit/docker-leaks.js";
import { buildDockerLifecycleTgz } from "../../kit/fixture-blobs.js";
import { tarCodec } from "../../../src/archive/tar-codec.js";

const docker = new Docker();
const images = new DockerImageStore();
const id = randomUUID().slice(0, 8);
/** Names a registry nobody listens on: pulls fail at once. */
const appRef = `127.0.0.1:1/restager-test/docker-app-${id}:v1`;
let dir: string;
let lifecyclePath: string;
const created: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-docker-app-image-"));
  lifecyclePath = (await buildDockerLifecycleTgz(dir)).path;
  // The app image: the stack with its own env, user and workdir, committed from a container.
  const container = await docker.createContainer({
    Image: "restager/stack:bookworm",
    Cmd: ["true"],
    Labels: { [TEST_RUN_LABEL]: testRunId() },
  });
  try {
    await container.commit({
      repo: appRef.slice(0, appRef.lastIndexOf(":")),
      tag: "v1",
      changes: ["ENV GREETING=from-the-image", "USER nobody", "WORKDIR /srv"],
    });
  } finally {
    await container.remove({ force: true });
  }
});

afterAll(async () => {
  for (const ref of [...created, appRef]) {
    await docker
      .getImage(ref)
      .remove({ force: true })
      .catch(() => undefined);
  }
  await rm(dir, { recursive: true, force: true });
});

describe("dockerAppImage", () => {
  it("puts the lifecycle on top of the app's layers and keeps the app's env", async () => {
    const image = await dockerAppImage(
      { reference: appRef, pull: false, lifecyclePath, time: defaultImageTime },
      { images, tar: tarCodec },
    );
    created.push(image.ref);
    expect(image.warnings).toEqual([]);
    const [app, built] = await Promise.all([
      docker.getImage(appRef).inspect(),
      docker.getImage(image.ref).inspect(),
    ]);
    expect(image.appImageId).toBe(app.Id);
    expect(built.RootFS.Layers?.slice(0, -1)).toEqual(app.RootFS.Layers);
    expect(built.RootFS.Layers).toHaveLength((app.RootFS.Layers?.length ?? 0) + 1);
    expect(built.Config.Env).toContain("GREETING=from-the-image");
    const listing = await runIn(image.ref, "ls -l /tmp/lifecycle; stat -c '%a %U' /tmp");
    expect(listing).toMatch(/-rwxr-xr-x 1 root root .* launcher\n/);
    expect(listing).toMatch(/healthcheck/);
    expect(listing).toContain("1777 root");
    // Same image and lifecycle: the same base, nothing streamed again.
    const again = await dockerAppImage(
      { reference: appRef, pull: false, lifecyclePath, time: defaultImageTime },
      { images, tar: tarCodec },
    );
    expect(again.ref).toBe(image.ref);
  });

  it("runs the engine's copy, with a warning, when the pull fails", async () => {
    const image = await dockerAppImage(
      { reference: appRef, pull: true, lifecyclePath, time: defaultImageTime },
      { images, tar: tarCodec },
    );
    expect(image.warnings).toHaveLength(1);
    expect(image.warnings[0]).toMatch(
      new RegExp(
        `^Cannot pull ${appRef.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: .*; running the image .* the engine already has$`,
      ),
    );
  });

  it("fails when the pull fails and the engine has no copy", async () => {
    const missing = `127.0.0.1:1/restager-test/docker-app-${id}:missing`;
    await expect(
      dockerAppImage(
        { reference: missing, pull: true, lifecyclePath, time: defaultImageTime },
        { images, tar: tarCodec },
      ),
    ).rejects.toThrow(`Cannot pull ${missing}`);
  });
});

async function runIn(image: string, script: string): Promise<string> {
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ["/bin/sh", "-c", script],
    User: "root",
    Labels: { [TEST_RUN_LABEL]: testRunId() },
  });
  try {
    await container.start();
    await container.wait();
    const logs = await container.logs({ stdout: true, stderr: true });
    return demux(logs);
  } finally {
    await container.remove({ force: true });
  }
}

/** The engine's multiplexed log frames → text. */
function demux(buffer: Buffer): string {
  let text = "";
  for (let offset = 0; offset + 8 <= buffer.length;) {
    const size = buffer.readUInt32BE(offset + 4);
    text += buffer.subarray(offset + 8, offset + 8 + size).toString("utf8");
    offset += 8 + size;
  }
  return text;
}
