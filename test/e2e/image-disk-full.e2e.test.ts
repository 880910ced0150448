/**
 * The engine's disk fills while the launcher image is loaded. A private engine (private-docker.ts)
 * keeps its data on a 450 MiB tmpfs holding the stack image (~135 MB); the app carries 100 MB of
 * zeros that the `bulky` buildpack keeps in the droplet (gzip: tiny on disk, 100 MB as a layer).
 * Once staging is over and its container removed, restager is paused (SIGSTOP), the tmpfs is
 * filled to its last 40 MiB, and restager resumes into the image load. The user must get a
 * clear error (exit 73, "cannot write"), the droplet kept on disk with its path printed, and the
 * command that builds the image from it once there is room.
 */
import { readFile, rm, statfs, writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildZip, fixturesDir, readTree } from "../kit/fixture-blobs.js";
import { startCli } from "../kit/e2e/cli.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import { expectExit, expectNoStackTrace } from "../kit/e2e/expectations.js";
import { PrivateDocker } from "../kit/e2e/private-docker.js";

const mebibyte = 1024 * 1024;
let engine: PrivateDocker | undefined;

beforeAll(async () => {
  engine = await PrivateDocker.start({ dataRootBytes: 450 * mebibyte });
  await engine.loadImage("restager/stack:bookworm", "restager/cflinuxfs4:latest");
});

afterAll(async () => {
  await engine?.destroy();
});

describe("restage when the engine's disk fills during the image load", () => {
  const current = useE2eCase();

  it("exits 73 with one clear error, keeps the droplet and prints its path", async () => {
    const e2e = current();
    const docker = engine as PrivateDocker;
    const world = await e2e.world({ buildpacks: ["bulky"] });
    const entries = await readTree(join(fixturesDir, "apps", "hello-static"));
    const zeros = { path: "zeros.bin", type: "file" as const, mode: 0o644 };
    const zip = join(world.dir, "big-app.zip");
    await writeFile(zip, buildZip([...entries, { ...zeros, data: Buffer.alloc(100 * mebibyte) }]));
    await world.cf.blobstore.add(`cc-packages/${e2e.appGuid}`, zip);

    const options = e2e.cliOptions({ env: { DOCKER_HOST: docker.host } });
    const running = startCli("restage", [world.taskFile, "--cache-dir", e2e.cacheDir], options);
    await running.waitForStderr(/Uploading complete/);
    await stagingContainerGone(docker, e2e.appGuid);
    process.kill(running.pid, "SIGSTOP");
    try {
      const data = join(docker.dir, "data");
      const free = await statfs(data).then((s) => s.bavail * s.bsize);
      await execa("fallocate", ["-l", String(free - 40 * mebibyte), join(data, "filler")]);
    } finally {
      process.kill(running.pid, "SIGCONT");
    }
    const run = await running.result;
    expectExit(run, 73);
    expectNoStackTrace(run);
    const errors = run.stderr.split("\n").filter((line) => line.startsWith("Error: "));
    expect(errors).toEqual([
      "Error: The Docker engine ran out of disk space trying to load the image",
    ]);
    expect(run.stderr).toMatch(/^Hint: Free space where the engine keeps its data/m);
    const droplet = "restager-out/node-env/droplet.tgz";
    expect(run.stderr).toContain(`uploaded, kept at ${droplet}`);
    expect(run.stderr).toContain(
      `The droplet is kept at ${droplet}; build the image from it later with 'restager image --droplet ${droplet} --lifecycle <buildpack_app_lifecycle.tgz> --stack restager/cflinuxfs4:latest', or restage again`,
    );
    const kept = await readFile(join(e2e.cwd, droplet));
    expect(kept.length).toBeGreaterThan(0);
    // The droplet the fake Cloud Controller received, byte for byte.
    expect(world.cf.uploadedDroplets()).toHaveLength(1);
    await rm(join(docker.dir, "data", "filler"));
  });
});

async function stagingContainerGone(docker: PrivateDocker, appGuid: string): Promise<void> {
  const filters = { label: [`io.restager.app-guid=${appGuid}`] };
  for (let tries = 0; tries < 3000; tries++) {
    if ((await docker.docker.listContainers({ all: true, filters })).length === 0) return;
    await sleep(10);
  }
  throw new Error("the staging container was never removed");
}
