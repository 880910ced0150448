/**
 * The stager image (images/stager, built by scripts/build-stager-image.sh) used as the 2016
 * experiment used its stager image: a staging request piped into `docker run -i` with only the
 * Docker socket mounted. Staging, upload and the launcher image all happen from inside that
 * container, so its cache and output paths exist only there: if any code path handed a
 * container path to the engine as a host path (a bind mount, a build context), this fails.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { execa } from "execa";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { TEST_RUN_LABEL, testRunId } from "../kit/docker-leaks.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";

const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const image = "restager/stager:latest";
const suffix = randomBytes(4).toString("hex");
const containerName = `restager-stager-e2e-${suffix}`;
const e2e = useE2eCase();
const docker = new Docker();

interface RestageJson {
  droplet: { md5: string; uploaded: boolean };
  image: { id: string; tags: string[]; droplet_md5: string } | null;
}

beforeAll(async () => {
  // `npm run test:e2e` has just built dist/; the script skips the build when nothing changed.
  const built = await execa("bash", ["scripts/build-stager-image.sh", "--no-build"], {
    cwd: repoRoot,
    reject: false,
    all: true,
  });
  expect(built.exitCode, built.all).toBe(0);
});

afterEach(async () => {
  // Only a timed-out run leaves it: killing `docker run` does not stop its container.
  await docker
    .getContainer(containerName)
    .remove({ force: true })
    .catch(() => undefined);
});

describe("the stager image", () => {
  it("restages a piped stager log from inside a container that has only the Docker socket", async () => {
    const world = await e2e().world();
    const cacheDir = `/tmp/restager-stager-e2e-cache-${suffix}`;
    const outputDir = `/work/out-${suffix}`;
    const run = await execa(
      "docker",
      [
        ...["run", "-i", "--rm", "--name", containerName],
        ...["--label", `${TEST_RUN_LABEL}=${testRunId()}`],
        ...["-v", "/var/run/docker.sock:/var/run/docker.sock", image],
        ...["--cache-dir", cacheDir, "--output-dir", outputDir, "--json"],
      ],
      { input: await readFile(world.logFile, "utf8"), reject: false, timeout: 240_000 },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain("[STG] OUT Uploading complete");
    await expect(docker.getContainer(containerName).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });

    const report = JSON.parse(run.stdout) as RestageJson;
    const uploaded = world.cf.uploadedDroplets();
    expect(uploaded.map((d) => [d.guid, d.md5])).toEqual([[world.appGuid, report.droplet.md5]]);
    expect(report.droplet.uploaded).toBe(true);

    // The launcher image went into the host's engine, labelled for the app.
    expect(report.image?.droplet_md5).toBe(report.droplet.md5);
    const info = await docker.getImage(report.image?.id ?? "").inspect();
    expect(info.RepoTags).toContain("restager/node-env:latest");
    expect(info.Config.Labels).toMatchObject({
      "io.restager.app-guid": world.appGuid,
      "io.restager.droplet-md5": report.droplet.md5,
    });

    // Container paths stayed in the container: nothing appeared at them on the host.
    expect(existsSync(cacheDir)).toBe(false);
    expect(existsSync(outputDir)).toBe(false);
  });

  it("leaves no staging container when the stager container itself is killed mid-builder", async () => {
    const world = await e2e().world({ buildpacks: ["sleepy"] });
    const running = execa(
      "docker",
      [
        ...["run", "-i", "--rm", "--name", containerName],
        ...["--label", `${TEST_RUN_LABEL}=${testRunId()}`],
        ...["-v", "/var/run/docker.sock:/var/run/docker.sock", image],
      ],
      { input: await readFile(world.logFile, "utf8"), reject: false, timeout: 240_000 },
    );
    let stderr = "";
    running.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    for (let tries = 0; !stderr.includes("Sleeping for 60s"); tries++) {
      if (tries > 1200) throw new Error(`the builder never started:\n${stderr}`);
      await sleep(100);
    }
    expect(await e2e().newContainers()).toHaveLength(1);
    // SIGKILL to restager inside the stager container: no handler, no finally block runs.
    await execa("docker", ["kill", containerName]);
    await running;
    let left = await e2e().newContainers();
    for (let tries = 0; left.length > 0 && tries < 50; tries++) {
      await sleep(200);
      left = await e2e().newContainers();
    }
    expect(left).toEqual([]);
  });

  it("reads its flags as restage does and reports the package version", async () => {
    const pkg = JSON.parse(await readFile(resolve(repoRoot, "package.json"), "utf8")) as {
      version: string;
    };
    const version = await execa("docker", ["run", "--rm", image, "--version"], { reject: false });
    expect(version.stdout.trim()).toBe(pkg.version);
    const help = await execa("docker", ["run", "--rm", image, "--help"], { reject: false });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("restager restage [file]");
    expect(help.stdout).toContain("--cache-dir");
  });
});
