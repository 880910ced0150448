import { createHash, randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { Transform, type Readable } from "node:stream";
import { join } from "node:path";
import Docker from "dockerode";
import { c as createTar } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tarCodec } from "../../../src/archive/tar-codec.js";
import { DockerImageStore } from "../../../src/container/docker-image-store.js";
import { TEST_RUN_LABEL, testRunId } from "../../kit/docker-leaks.js";
import { buildLifecycleTgz } from "../../kit/fixture-blobs.js";
import {
  buildImage,
  planDropletLayer,
  type BuildImageOptions,
} from "../../../src/image/build-image.js";
import {
  dropletCarrierKind,
  loadDropletCarrier,
  removeDropletCarrier,
} from "../../../src/image/droplet-carrier.js";
import {
  DirectoryPlanCache,
  type PlanCache,
  type PlanFacts,
} from "../../../src/image/plan-cache.js";
import { lifecycleBaseTag } from "../../../src/image/lifecycle-base.js";
import { ImageLabel } from "../../../src/image/image-labels.js";
import { defaultImageTime } from "../../../src/image/image-time.js";

// Builds launcher images from a hand-made droplet and the fixture lifecycle, then runs them.

const docker = new Docker();
const images = new DockerImageStore();
const stackImage = "restager/cflinuxfs4:latest";
const repo = `restager-test/image-${randomUUID().slice(0, 8)}`;
const startCommand = "busybox httpd -f -p $PORT -h /home/vcap/app/public";
let dir: string;
let lifecyclePath: string;
let stackId: string;

/** A droplet as the builder writes it: `tar -czf droplet -C contents .` (entries `./`-prefixed). */
async function writeDroplet(name: string, page: string, extra?: (root: string) => Promise<void>) {
  const root = join(dir, `${name}-contents`);
  for (const sub of ["app/public", "deps/0", "profile.d", "tmp", "logs"]) {
    await mkdir(join(root, sub), { recursive: true });
  }
  await writeFile(join(root, "app", "public", "index.html"), page);
  await writeFile(
    join(root, "deps", "0", "config.yml"),
    "name: static_buildpack\nversion: 1.2.3\n",
  );
  await writeFile(join(root, "profile.d", "static.sh"), "export STATIC_PROFILE_LOADED=1\n");
  const info = { detected_buildpack: "staticfile", start_command: startCommand };
  await writeFile(join(root, "staging_info.yml"), JSON.stringify(info));
  await extra?.(root);
  const file = join(dir, `${name}.tgz`);
  await createTar({ gzip: true, file, cwd: root, portable: true }, ["."]);
  return file;
}

function options(dropletPath: string, tag: string): BuildImageOptions {
  return {
    dropletPath,
    lifecyclePath,
    stackImage,
    appGuid: "273b4ea1-c0b9-4a7c-bd3b-5275150cad19",
    appName: "Hello App",
    taskGuid: "273b4ea1-c0b9-4a7c-bd3b-5275150cad19-7617e252",
    result: {
      lifecycle_metadata: {
        buildpack_key: "k1",
        detected_buildpack: "staticfile",
        buildpacks: [{ key: "k1", name: "static_buildpack", version: "1.2.3" }],
      },
      process_types: { web: startCommand },
    },
    tags: [`${repo}:${tag}`],
    env: ["LANG=en_US.UTF-8"],
    labels: { [TEST_RUN_LABEL]: testRunId() },
    time: defaultImageTime,
  };
}

/** The real store, counting the bytes of each archive it loads. */
class CountingStore extends DockerImageStore {
  readonly loadedBytes: number[] = [];

  override load(archive: Readable, signal?: AbortSignal): Promise<string[]> {
    const index = this.loadedBytes.push(0) - 1;
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.loadedBytes[index] = (this.loadedBytes[index] ?? 0) + chunk.length;
        done(null, chunk);
      },
    });
    return super.load(archive.pipe(counter), signal);
  }
}

/** A real plan cache, counting the plans it answered. */
class CountingPlans implements PlanCache {
  hits = 0;
  constructor(private readonly inner: PlanCache) {}
  async get(key: string): Promise<PlanFacts | undefined> {
    const found = await this.inner.get(key);
    if (found) this.hits++;
    return found;
  }
  put(key: string, facts: PlanFacts): Promise<void> {
    return this.inner.put(key, facts);
  }
}

function lifecycleBase(): string {
  const sha = createHash("sha256").update(readFileSync(lifecyclePath)).digest("hex");
  return lifecycleBaseTag(stackId, sha, defaultImageTime);
}

async function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  // A request sent while the container is still starting can be held by the engine's port
  // proxy without an answer; it is given up after a while and retried (see eventually()).
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    signal: AbortSignal.timeout(3_000),
  });
  return { status: response.status, body: await response.text() };
}

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

async function runImage(ref: string, cmd?: string[]): Promise<Docker.Container> {
  const container = await docker.createContainer({
    Image: ref,
    ...(cmd ? { Cmd: cmd } : {}),
    Labels: { "io.restager.managed": "true", [TEST_RUN_LABEL]: testRunId() },
    HostConfig: { PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
  });
  await container.start();
  return container;
}

async function hostPort(container: Docker.Container): Promise<number> {
  const info = await container.inspect();
  return Number(info.NetworkSettings.Ports["8080/tcp"]?.[0]?.HostPort);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-image-"));
  lifecyclePath = (await buildLifecycleTgz(dir)).path;
  stackId = (await docker.getImage(stackImage).inspect()).Id;
});

afterAll(async () => {
  for (const image of await images.findImages(TEST_RUN_LABEL, testRunId())) {
    for (const tag of image.repoTags.filter((t) => t.startsWith(`${repo}:`)))
      await images.untag(tag);
  }
  await rm(dir, { recursive: true, force: true });
});

describe("buildImage", () => {
  it("builds an image that runs the droplet under the launcher, as vcap, answering on 8080", async () => {
    const droplet = await writeDroplet("one", "<h1>one</h1>\n");
    const built = await buildImage(options(droplet, "one"), { images, tar: tarCodec });
    const info = await docker.getImage(`${repo}:one`).inspect();
    expect(info.Id).toBe(built.id);
    expect(info.Config.User).toBe("vcap");
    expect(info.Config.WorkingDir).toBe("/home/vcap");
    expect(info.Config.Entrypoint).toEqual(["/tmp/lifecycle/launcher", "app"]);
    expect(info.Config.Cmd).toEqual([startCommand, ""]);
    expect(info.Config.Env).toEqual(expect.arrayContaining(["PORT=8080", "LANG=en_US.UTF-8"]));
    expect(Object.keys(info.Config.ExposedPorts ?? {})).toEqual(["8080/tcp"]);
    expect(info.Created).toBe("1980-01-01T00:00:01Z");
    const labels = info.Config.Labels ?? {};
    expect(labels[ImageLabel.appName]).toBe("Hello App");
    expect(labels[ImageLabel.stack]).toBe("cflinuxfs4");
    expect(labels[ImageLabel.dropletMd5]).toBe(built.metadata.dropletMd5Hex);
    expect(JSON.parse(labels[ImageLabel.buildpacks] ?? "")).toEqual([
      { name: "static_buildpack", version: "1.2.3", key: "k1" },
    ]);

    const container = await runImage(`${repo}:one`);
    try {
      const port = await hostPort(container);
      const page = await eventually(() => httpGet(port, "/index.html"), 20_000);
      expect(page).toEqual({ status: 200, body: "<h1>one</h1>\n" });
      const health = await eventually(async () => {
        const state = (await container.inspect()).State.Health?.Status;
        if (state !== "healthy") throw new Error(`health: ${state}`);
        return state;
      }, 40_000);
      expect(health).toBe("healthy");
    } finally {
      await container.remove({ force: true });
    }
  });

  it("gives the same id for the same inputs, whether the stack's layers are referenced or streamed", async () => {
    const droplet = await writeDroplet("same", "<h1>same</h1>\n");
    const first = await buildImage(options(droplet, "same-1"), { images, tar: tarCodec });
    const second = await buildImage(options(droplet, "same-2"), { images, tar: tarCodec });
    const streamed = await buildImage(
      { ...options(droplet, "same-3"), baseLayers: "stream" },
      { images, tar: tarCodec },
    );
    expect(second.id).toBe(first.id);
    expect(streamed.id).toBe(first.id);
    expect(streamed.baseLayers).toBe("stream");
  });

  it("shares every layer but the droplet's with a build of another droplet", async () => {
    const a = await buildImage(options(await writeDroplet("a", "a\n"), "a"), {
      images,
      tar: tarCodec,
    });
    const b = await buildImage(options(await writeDroplet("b", "b\n"), "b"), {
      images,
      tar: tarCodec,
    });
    expect(b.id).not.toBe(a.id);
    expect(b.diffIds.slice(0, -1)).toEqual(a.diffIds.slice(0, -1));
    expect(b.diffIds.at(-1)).not.toBe(a.diffIds.at(-1));
  });

  it("streams the lifecycle once, then only droplet layers, and loads nothing for a known image", async () => {
    const counted = new CountingStore();
    const first = await buildImage(options(await writeDroplet("c1", "c1\n"), "c1"), {
      images: counted,
      tar: tarCodec,
    });
    const base = await docker.getImage(lifecycleBase()).inspect();
    expect(base.Config.Labels?.["io.restager.kind"]).toBe("lifecycle-base");
    expect(base.RootFS.Layers).toEqual(first.diffIds.slice(0, -1));

    const loadsBefore = counted.loadedBytes.length;
    const c2 = await writeDroplet("c2", "c2\n");
    const second = await buildImage(options(c2, "c2"), {
      images: counted,
      tar: tarCodec,
    });
    expect(counted.loadedBytes).toHaveLength(loadsBefore + 1);
    // Only the droplet layer (a few KB with the tar headers), never the lifecycle layer.
    expect(counted.loadedBytes.at(-1)).toBeLessThan(second.dropletLayerBytes + 16 * 1024);
    expect(counted.loadedBytes.at(-1)).toBeLessThan(second.lifecycleLayerBytes);
    expect(second.reused).toBe(false);

    const again = await buildImage(options(c2, "c2-again"), {
      images: counted,
      tar: tarCodec,
    });
    expect(counted.loadedBytes).toHaveLength(loadsBefore + 1);
    expect(again).toMatchObject({ id: second.id, reused: true });
    expect((await docker.getImage(`${repo}:c2-again`).inspect()).Id).toBe(second.id);
  });

  it("with a plan cache, builds the same droplet again from the cached plan: tagged, or loaded with the same id", async () => {
    const plans = new CountingPlans(new DirectoryPlanCache(join(dir, "image-plans")));
    const counted = new CountingStore();
    const droplet = await writeDroplet("planned", "planned\n");
    const first = await buildImage(options(droplet, "planned-1"), {
      images: counted,
      plans,
      tar: tarCodec,
    });
    const uncached = await buildImage(options(droplet, "planned-0"), { images, tar: tarCodec });
    expect(first.id).toBe(uncached.id);
    expect(plans.hits).toBe(0);

    const loads = counted.loadedBytes.length;
    const again = await buildImage(options(droplet, "planned-2"), {
      images: counted,
      plans,
      tar: tarCodec,
    });
    expect(plans.hits).toBe(2); // the droplet's plan and the lifecycle's
    expect(counted.loadedBytes).toHaveLength(loads);
    expect(again).toMatchObject({ id: first.id, reused: true });
    expect(again.metadata).toEqual(first.metadata);
    expect((await docker.getImage(`${repo}:planned-2`).inspect()).Id).toBe(first.id);

    // Gone from the engine: the cached plan streams the droplet again, and the engine accepts it.
    for (const tag of ["planned-0", "planned-1", "planned-2"]) await images.untag(`${repo}:${tag}`);
    expect(await images.inspect(first.id)).toBeUndefined();
    const rebuilt = await buildImage(options(droplet, "planned-3"), {
      images: counted,
      plans,
      tar: tarCodec,
    });
    expect(plans.hits).toBe(4);
    expect(counted.loadedBytes).toHaveLength(loads + 1);
    expect(rebuilt).toMatchObject({ id: first.id, reused: false });
  });

  it("reads a new droplet once, through a spool file it removes, and loads it under the id it computed", async () => {
    const spoolDir = join(dir, "spool-ok");
    await mkdir(spoolDir);
    const droplet = await writeDroplet("spooled", "spooled\n", (root) =>
      writeFile(join(root, "app", "blob.bin"), randomBytes(1024 * 1024)),
    );
    const counted = new CountingStore();
    const built = await buildImage(options(droplet, "spooled"), {
      images: counted,
      tar: tarCodec,
      spoolDir,
    });
    expect(counted.loadedBytes).toHaveLength(1);
    expect(counted.loadedBytes[0]).toBeGreaterThan(built.dropletLayerBytes);
    expect(counted.loadedBytes[0]).toBeLessThan(built.dropletLayerBytes + 16 * 1024);
    expect((await docker.getImage(`${repo}:spooled`).inspect()).Id).toBe(built.id);
    expect(await readdir(spoolDir)).toEqual([]);
    // Without the spool (a plan from the plan cache streams the droplet itself): the same id.
    await images.untag(`${repo}:spooled`);
    const plans = new DirectoryPlanCache(join(dir, "spool-plans"));
    const planned = await buildImage(options(droplet, "spooled-planned"), {
      images,
      plans,
      tar: tarCodec,
      spoolDir,
    });
    await images.untag(`${repo}:spooled-planned`);
    const cached = await buildImage(options(droplet, "spooled-cached"), {
      images,
      plans,
      tar: tarCodec,
      spoolDir,
    });
    expect([planned.id, cached.id]).toEqual([built.id, built.id]);
    expect(cached.reused).toBe(false);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it("with the droplet's layer loaded ahead in a carrier, loads only the config, under the same id", async () => {
    const spoolDir = join(dir, "spool-carried");
    await mkdir(spoolDir);
    const droplet = await writeDroplet("carried", "carried\n", (root) =>
      writeFile(join(root, "app", "blob.bin"), randomBytes(1024 * 1024)),
    );
    const plain = await buildImage(options(droplet, "carried-plain"), { images, tar: tarCodec });
    await images.untag(`${repo}:carried-plain`);
    expect(await images.inspect(plain.id)).toBeUndefined();

    const ahead = { dropletPath: droplet, time: defaultImageTime };
    const planned = await planDropletLayer(ahead, { tar: tarCodec, spoolDir });
    const labels = { [TEST_RUN_LABEL]: testRunId() };
    const carrierInput = { stackImage, lifecyclePath, droplet: planned, time: defaultImageTime };
    const carrier = await loadDropletCarrier(
      { ...carrierInput, labels },
      { images, tar: tarCodec },
    );
    expect(carrier?.dropletDiffId).toBe(planned.plan.diffId);
    const held = await docker.getImage(carrier?.id ?? "").inspect();
    expect(held.Config.Labels?.["io.restager.kind"]).toBe(dropletCarrierKind);
    expect(held.RepoTags).toEqual([]);

    const counted = new CountingStore();
    const carried = { plannedDroplet: Promise.resolve(planned), carrier: Promise.resolve(carrier) };
    const built = await buildImage(
      { ...options(droplet, "carried"), ...carried },
      { images: counted, tar: tarCodec },
    );
    expect(built.id).toBe(plain.id);
    // The config and the manifest only: the droplet layer stays out of the archive.
    expect(counted.loadedBytes).toHaveLength(1);
    expect(counted.loadedBytes[0]).toBeLessThan(16 * 1024);
    expect(await readdir(spoolDir)).toEqual([]);

    // The carrier goes; the image keeps the layer.
    await removeDropletCarrier(images, carrier);
    expect(await images.inspect(carrier?.id ?? "")).toBeUndefined();
    expect((await images.inspect(`${repo}:carried`))?.sizeBytes).toBe(plain.sizeBytes);
    const container = await runImage(`${repo}:carried`);
    try {
      const port = await hostPort(container);
      const page = await eventually(() => httpGet(port, "/"), 20_000);
      expect(page).toEqual({ status: 200, body: "carried\n" });
    } finally {
      await container.remove({ force: true });
    }
  });

  it("streams the droplet layer after all when its carrier is gone by then", async () => {
    const droplet = await writeDroplet("uncarried", "uncarried\n");
    const planned = await planDropletLayer(
      { dropletPath: droplet, time: defaultImageTime },
      { tar: tarCodec },
    );
    const labels = { [TEST_RUN_LABEL]: testRunId() };
    const carrierInput = { stackImage, lifecyclePath, droplet: planned, time: defaultImageTime };
    const carrier = await loadDropletCarrier(
      { ...carrierInput, labels },
      { images, tar: tarCodec },
    );
    await removeDropletCarrier(images, carrier);
    const counted = new CountingStore();
    const carried = { plannedDroplet: Promise.resolve(planned), carrier: Promise.resolve(carrier) };
    const built = await buildImage(
      { ...options(droplet, "uncarried"), ...carried },
      { images: counted, tar: tarCodec },
    );
    // A referencing load refused, then one with the layer.
    expect(counted.loadedBytes).toHaveLength(2);
    expect(counted.loadedBytes[1]).toBeGreaterThan(built.dropletLayerBytes);
    expect((await images.inspect(`${repo}:uncarried`))?.id).toBe(built.id);
  });

  it("interrupted while the droplet streams: no image, no half layer, no spool file left", async () => {
    const spoolDir = join(dir, "spool-cut");
    await mkdir(spoolDir);
    const droplet = await writeDroplet("cut", "cut\n", (root) =>
      writeFile(join(root, "app", "blob.bin"), randomBytes(8 * 1024 * 1024)),
    );
    // The id a complete build gets; then the image is removed again.
    const complete = await buildImage(options(droplet, "cut-complete"), { images, tar: tarCodec });
    await images.untag(`${repo}:cut-complete`);
    expect(await images.inspect(complete.id)).toBeUndefined();

    const controller = new AbortController();
    class CuttingStore extends DockerImageStore {
      override load(archive: Readable, signal?: AbortSignal): Promise<string[]> {
        let seen = 0;
        const cutter = new Transform({
          transform: (chunk: Buffer, _encoding, done) => {
            seen += chunk.length;
            if (seen > 1024 * 1024) controller.abort();
            done(null, chunk);
          },
        });
        return super.load(archive.pipe(cutter), signal);
      }
    }
    const cut = buildImage(
      { ...options(droplet, "cut"), signal: controller.signal },
      { images: new CuttingStore(), tar: tarCodec, spoolDir },
    );
    await expect(cut).rejects.toMatchObject({ name: "CancelledError" });
    expect(await images.inspect(`${repo}:cut`)).toBeUndefined();
    expect(await images.inspect(complete.id)).toBeUndefined();
    const layers = (await docker.listImages({ all: true })).map((image) => image.Id);
    expect(layers).not.toContain(complete.id);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it("runs another start command given at run time, as vcap, with the droplet owned by vcap", async () => {
    const droplet = await writeDroplet("override", "x\n");
    await buildImage(options(droplet, "override"), { images, tar: tarCodec });
    const files = "/home/vcap /home/vcap/app /home/vcap/staging_info.yml /tmp";
    const command = `echo started $PORT as $(id -un) in $PWD; stat -c '%U %a %n' ${files}`;
    const container = await runImage(`${repo}:override`, [command, ""]);
    try {
      await container.wait();
      const logs = (await container.logs({ stdout: true, stderr: true })).toString("utf8");
      expect(logs).toContain("started 8080 as vcap in /home/vcap/app");
      const owners = ["vcap 755 /home/vcap", "vcap 755 /home/vcap/app", "root 1777 /tmp"];
      for (const line of [...owners, "vcap 644 /home/vcap/staging_info.yml"]) {
        expect(logs).toContain(`${line}\n`);
      }
    } finally {
      await container.remove({ force: true });
    }
  });

  it("refuses a droplet entry that escapes /home/vcap, and loads nothing", async () => {
    const droplet = await writeDroplet("unsafe", "x\n", (root) =>
      symlink("/etc/passwd", join(root, "app", "passwd")),
    );
    await expect(buildImage(options(droplet, "unsafe"), { images, tar: tarCodec })).rejects.toThrow(
      /Refusing archive entry/,
    );
    expect(await images.inspect(`${repo}:unsafe`)).toBeUndefined();
  });
});
