import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { c as createTar } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tarCodec } from "../../../src/archive/tar-codec.js";
import { DockerImageStore } from "../../../src/container/docker-image-store.js";
import { TEST_RUN_LABEL, testRunId } from "../../kit/docker-leaks.js";
import { buildLifecycleTgz } from "../../kit/fixture-blobs.js";
import { buildImage } from "../../../src/image/build-image.js";
import { ImageLabel } from "../../../src/image/image-labels.js";
import { defaultImageTime } from "../../../src/image/image-time.js";
import { pushBuiltImage } from "../../../src/image/push-image.js";
import type { ProgressEvent } from "../../../src/core/events.js";

// Pushes a launcher image to the local registry (bash scripts/setup-machine.sh --registry) and
// pulls it back by digest.

const registry = "127.0.0.1:5000";
const images = new DockerImageStore();
const repo = `restager-test/push-${randomUUID().slice(0, 8)}`;
let dir: string;

async function requireRegistry(): Promise<void> {
  const answer = await fetch(`http://${registry}/v2/`).catch((error: unknown) => error);
  if (!(answer instanceof Response) || answer.status !== 200) {
    throw new Error(
      `No registry answers at http://${registry}/v2/: run 'bash scripts/setup-machine.sh --registry' first`,
    );
  }
}

async function droplet(text: string): Promise<string> {
  const root = join(dir, "contents");
  await mkdir(join(root, "app"), { recursive: true });
  await writeFile(join(root, "app", "unique.txt"), text);
  await writeFile(join(root, "staging_info.yml"), '{"start_command":"sleep 1"}');
  const file = join(dir, "droplet.tgz");
  await createTar({ gzip: true, file, cwd: root, portable: true }, ["."]);
  return file;
}

beforeAll(async () => {
  await requireRegistry();
  dir = await mkdtemp(join(tmpdir(), "restager-push-"));
});

afterAll(async () => {
  for (const image of await images.findImages(TEST_RUN_LABEL, testRunId())) {
    for (const tag of image.repoTags.filter((t) => t.includes(repo))) await images.untag(tag);
  }
  await rm(dir, { recursive: true, force: true });
});

describe("pushBuiltImage", () => {
  it("pushes with per-layer progress, and the image pulls back by digest with the same id", async () => {
    const built = await buildImage(
      {
        dropletPath: await droplet(randomUUID()),
        lifecyclePath: (await buildLifecycleTgz(dir)).path,
        stackImage: "restager/cflinuxfs4:latest",
        appName: "pushed",
        tags: [`${repo}:v1`],
        labels: { [TEST_RUN_LABEL]: testRunId() },
        time: defaultImageTime,
      },
      { images, tar: tarCodec },
    );
    const events: ProgressEvent[] = [];
    const pushed = await pushBuiltImage(
      { id: built.id, tags: built.tags, registry, insecureRegistry: true },
      { images, onProgress: (event) => events.push(event) },
    );
    expect(pushed.refs).toEqual([`${registry}/${repo}:v1`]);
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(pushed.layersPushed + pushed.layersExisting).toBe(3);
    expect(events.some((e) => e.kind === "upload-progress")).toBe(true);
    expect(events.filter((e) => e.kind === "upload-done").length).toBeGreaterThanOrEqual(1);

    await images.untag(`${registry}/${repo}:v1`);
    await images.untag(`${repo}:v1`);
    expect(await images.inspect(built.id)).toBeUndefined();
    const byDigest = `${pushed.repository}@${pushed.digest}`;
    await images.pull(byDigest);
    const pulled = await images.inspect(byDigest);
    expect(pulled?.id).toBe(built.id);
    expect(pulled?.labels[ImageLabel.appName]).toBe("pushed");
    expect(pulled?.repoDigests).toContain(byDigest);
    await images.untag(byDigest);
  });

  it("refuses --insecure-registry for a registry the engine would only reach with TLS", async () => {
    // TEST-NET address: an IP literal, so nothing is resolved or contacted.
    const push = pushBuiltImage(
      { id: "sha256:x", tags: ["a/b:c"], registry: "192.0.2.1:5000", insecureRegistry: true },
      { images },
    );
    await expect(push).rejects.toThrow(/does not treat 192.0.2.1:5000 as an insecure/);
  });

  it("names the fix when the engine cannot reach the registry", async () => {
    const ref = `127.0.0.1:5999/${repo}:unreachable`;
    await images.tag("restager/cflinuxfs4:latest", ref);
    try {
      const push = pushBuiltImage({ id: "unused", tags: [ref] }, { images });
      await expect(push).rejects.toMatchObject({
        exitCode: 69,
        hint: expect.stringContaining("cannot reach 127.0.0.1:5999") as unknown,
      });
    } finally {
      await images.untag(ref);
    }
  });
});
