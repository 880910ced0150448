/**
 * The launcher image end to end: `restage` builds it after staging a fixture app, the image runs
 * the app under the launcher and answers HTTP; `restager image` rebuilds it from the kept files
 * with the same id; `--push` sends it to the local registry, from which it pulls back by digest.
 */
import { writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "node:http";
import { join } from "node:path";
import Docker from "dockerode";
import { afterEach, describe, expect, it } from "vitest";
import { DockerImageStore } from "../../src/container/docker-image-store.js";
import type { FoundImage } from "../../src/container/image-store.js";
import { faults } from "../kit/fake-cf/fake-cf.js";
import { runCli } from "../kit/e2e/cli.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";

const docker = new Docker();
const images = new DockerImageStore();
const registry = "127.0.0.1:5000";
const stack = "restager/cflinuxfs4:latest";
const e2e = useE2eCase();

interface ImageJson {
  id: string;
  tags: string[];
  droplet_md5: string;
  start_command: string;
  pushed: { refs: string[]; digest: string; repository: string } | null;
}

afterEach(async () => {
  // Every image a test built carries the test's unique app guid.
  for (const image of await images.findImages("io.restager.app-guid", e2e().appGuid)) {
    for (const name of image.repoTags) await images.untag(name);
  }
});

async function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on("error", reject);
    req.end();
  });
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

async function serveOnce(image: string, guid: string): Promise<{ status: number; body: string }> {
  const container = await docker.createContainer({
    Image: image,
    Labels: { "io.restager.managed": "true", "io.restager.app-guid": guid },
    HostConfig: { PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
  });
  try {
    await container.start();
    const info = await container.inspect();
    const port = Number(info.NetworkSettings.Ports["8080/tcp"]?.[0]?.HostPort);
    return await eventually(() => httpGet(port, "/"), 20_000);
  } finally {
    await container.remove({ force: true });
  }
}

describe("the launcher image", () => {
  it("restage builds an image that runs the staged app and answers HTTP on 8080", async () => {
    const world = await e2e().world({
      buildpacks: ["static"],
      app: "hello-static",
      appName: "Hello Static",
    });
    const out = join(e2e().dir, "out");
    const run = await e2e().restage([world.taskFile, "--output-dir", out, "--json"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { image: ImageJson; droplet: { md5: string } };
    const image = report.image;
    expect(image.tags).toEqual([
      `restager/hello-static:${report.droplet.md5.slice(0, 12)}`,
      "restager/hello-static:latest",
    ]);
    expect(image.droplet_md5).toBe(report.droplet.md5);
    expect(run.stderr).toMatch(/^Image restager\/hello-static:[0-9a-f]{12} built in /m);

    const info = await docker.getImage(image.tags[0] ?? "").inspect();
    const labels = info.Config.Labels ?? {};
    expect(labels).toMatchObject({
      "io.restager.managed": "true",
      "io.restager.app-guid": world.appGuid,
      "io.restager.app-name": "Hello Static",
      "io.restager.task-guid": world.stagingGuid,
      "io.restager.stack": "cflinuxfs4",
      "io.restager.start-command": image.start_command,
      "org.opencontainers.image.title": "Hello Static",
      "org.opencontainers.image.created": "1980-01-01T00:00:01Z",
    });
    expect(JSON.parse(labels["io.restager.buildpacks"] ?? "")).toEqual([
      expect.objectContaining({ name: "static_buildpack", version: "1.2.3" }),
    ]);
    expect(JSON.parse(labels["io.restager.process-types"] ?? "")).toEqual({
      web: image.start_command,
    });
    expect(info.Config.Env).toContain("LANG=en_US.UTF-8");

    const page = await serveOnce(image.tags[0] ?? "", world.appGuid);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Hello from restager");
    // The droplet's layer went in while it was uploaded, in an image of its own, now gone.
    const app = await images.findImages("io.restager.app-guid", world.appGuid);
    expect(app.map((found) => found.id)).toEqual([info.Id]);
    expect(app.flatMap((found) => found.repoTags).sort()).toEqual([...image.tags].sort());
  });

  it("restage builds the image while the droplet is uploaded, and names it once the upload answered", async () => {
    const world = await e2e().world({ buildpacks: ["static"], app: "hello-static" });
    world.cf.inject(
      { server: "ccUploader", path: "/v1/droplet/" },
      faults.slow({ delayMs: 4_000 }),
    );
    const running = e2e().startRestage([world.taskFile, "--json"]);
    let ended = false;
    void running.result.finally(() => (ended = true));
    let pending: FoundImage | undefined;
    while (pending === undefined && !ended) {
      await sleep(50);
      const found = await images.findImages("io.restager.app-guid", world.appGuid);
      pending = found.find((image) => image.repoTags.some((tag) => /^restager-pending:/.test(tag)));
    }
    // The image is there, under a temporary name only, before the upload answered.
    expect(ended).toBe(false);
    expect(world.cf.uploadedDroplets()).toEqual([]);
    const run = await running.result;
    expect(run.exitCode, run.stderr).toBe(0);
    const image = (JSON.parse(run.stdout) as { image: ImageJson }).image;
    expect(image.id).toBe(pending?.id);
    const app = await images.findImages("io.restager.app-guid", world.appGuid);
    expect(app.flatMap((found) => found.repoTags).sort()).toEqual([...image.tags].sort());
  });

  it("restage leaves no image when the droplet's upload fails", async () => {
    const world = await e2e().world({ buildpacks: ["static"], app: "hello-static" });
    world.cf.inject({ server: "ccUploader", path: "/v1/droplet/" }, faults.status(500, Infinity));
    const run = await e2e().restage([world.taskFile, "--output-dir", join(e2e().dir, "out")]);
    // 75: the upload failed, a temporary failure; the droplet stays in --output-dir.
    expect(run.exitCode, run.stderr).toBe(75);
    expect(await images.findImages("io.restager.app-guid", world.appGuid)).toEqual([]);
  });

  it("restager image rebuilds it from the kept files: same layers, and twice the same id", async () => {
    const { world, out, staged } = await stageKeepingFiles();
    const args = imageArgs(world, out, ["--tag", "restager-e2e/rebuilt:v1", "--json"]);
    const first = await runCli("restager", args, e2e().cliOptions());
    const second = await runCli("restager", args, e2e().cliOptions());
    expect(first.exitCode, first.stderr).toBe(0);
    expect(second.exitCode, second.stderr).toBe(0);
    const [a, b] = [first, second].map((r) => JSON.parse(r.stdout) as ImageJson);
    expect(b?.id).toBe(a?.id);
    const rebuilt = await docker.getImage("restager-e2e/rebuilt:v1").inspect();
    const original = await docker.getImage(staged.tags[0] ?? "").inspect();
    expect(rebuilt.RootFS.Layers).toEqual(original.RootFS.Layers);
    expect(rebuilt.Config.Labels?.["io.restager.droplet-md5"]).toBe(staged.droplet_md5);
  });

  it("--push sends it to the local registry with the credentials given, and it pulls back by digest", async () => {
    await requireRegistry();
    const { world, out } = await stageKeepingFiles();
    const repo = `restager-e2e/pushed-${world.appGuid.slice(0, 8)}`;
    const args = imageArgs(world, out, [
      ...["--tag", `${repo}:v1`, "--push", "--registry", registry, "--insecure-registry"],
      ...["--registry-user", "e2e-user", "--registry-password-stdin", "--json"],
    ]);
    const run = await runCli("restager", args, e2e().cliOptions({ input: "s3cret-pass\n" }));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain("s3cret-pass");
    const image = JSON.parse(run.stdout) as ImageJson;
    expect(image.pushed?.refs).toEqual([`${registry}/${repo}:v1`]);
    expect(run.stderr).toContain(`Pushed ${registry}/${repo}@${image.pushed?.digest}`);

    const byDigest = `${registry}/${repo}@${image.pushed?.digest}`;
    await docker.getImage(`${registry}/${repo}:v1`).remove();
    await docker.getImage(`${repo}:v1`).remove();
    await images.pull(byDigest);
    const pulled = await docker.getImage(byDigest).inspect();
    expect(pulled.Id).toBe(image.id);
    expect(pulled.Config.Labels?.["io.restager.app-guid"]).toBe(world.appGuid);
    await images.untag(byDigest);
  });
});

/** Stages hello-static keeping the droplet in <dir>/out; returns the world and the image JSON. */
async function stageKeepingFiles() {
  const world = await e2e().world({ buildpacks: ["static"], app: "hello-static" });
  const out = join(e2e().dir, "out");
  const run = await e2e().restage([world.taskFile, "--output-dir", out, "--json"]);
  if (run.exitCode !== 0) throw new Error(`restage failed (${run.exitCode}): ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { image: ImageJson; result: unknown };
  await writeFile(join(out, "result.json"), JSON.stringify(report.result));
  return { world, out, staged: report.image };
}

function imageArgs(
  world: { dir: string; appGuid: string; stagingGuid: string },
  out: string,
  extra: string[],
) {
  return [
    "image",
    ...["--droplet", join(out, "droplet.tgz"), "--result", join(out, "result.json")],
    ...["--lifecycle", join(world.dir, "buildpack_app_lifecycle.tgz"), "--stack", stack],
    ...["--app-name", "node-env", "--app-guid", world.appGuid, "--task-guid", world.stagingGuid],
    ...extra,
  ];
}

async function requireRegistry(): Promise<void> {
  const answer = await fetch(`http://${registry}/v2/`).catch((error: unknown) => error);
  if (!(answer instanceof Response) || answer.status !== 200) {
    throw new Error(
      `No registry answers at http://${registry}/v2/: run 'bash scripts/setup-machine.sh --registry'`,
    );
  }
}
