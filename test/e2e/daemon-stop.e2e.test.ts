/**
 * The Docker engine stops in the middle of a restage. A private engine (private-docker.ts, in
 * its own network namespace, so the shared engine and its docker0 are never touched) is stopped
 * (SIGTERM) or killed (SIGKILL) while the sleepy buildpack runs: restage must end with exit 69
 * and one clear line naming the engine, without a stack trace. Once the engine is back, the
 * staging container is not running (it is bound to its restager and removes itself, else the
 * next restage removes it, saying so), and the rerun succeeds and leaves nothing: no container,
 * no half-filled dependency volume.
 */
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli } from "../kit/e2e/cli.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import { expectExit, expectNoStackTrace } from "../kit/e2e/expectations.js";
import { PrivateDocker } from "../kit/e2e/private-docker.js";

let engine: PrivateDocker | undefined;
let hadDocker0 = false;

beforeAll(async () => {
  hadDocker0 = (await execa("ip", ["link", "show", "docker0"], { reject: false })).exitCode === 0;
  engine = await PrivateDocker.start();
  await engine.loadImage("restager/stack:bookworm", "restager/cflinuxfs4:latest");
});

afterAll(async () => {
  await engine?.destroy();
  // The shared engine's bridge must have survived the private engine.
  if (hadDocker0) await execa("ip", ["link", "show", "docker0"]);
});

describe("restage when the Docker engine stops", () => {
  const current = useE2eCase();

  // SIGTERM: as `systemctl stop docker` does (the engine stops its containers, then exits).
  // SIGKILL: the engine dies at once; its containerd goes with it, the container shims stay.
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    it(`exits 69 naming the engine when dockerd gets ${signal}; the rerun after its restart leaves nothing`, async () => {
      const e2e = current();
      const docker = engine as PrivateDocker;
      // Each case starts on a running engine, even when the one before failed midway.
      if (!docker.running) await docker.restart();
      const options = e2e.cliOptions({ env: { DOCKER_HOST: docker.host } });
      const world = await e2e.world({ buildpacks: ["sleepy"] });
      const running = startCli("restage", [world.taskFile, "--cache-dir", e2e.cacheDir], options);
      await running.waitForStderr(/Sleeping for 60s/);
      await docker.stop(signal);
      const run = await running.result;
      expectExit(run, 69);
      expect(run.stdout).toBe("");
      const errors = run.stderr.split("\n").filter((line) => line.startsWith("Error: "));
      expect(errors).toEqual([`Error: Cannot reach the Docker engine at ${docker.host}`]);
      expect(run.stderr).toMatch(/^Hint: Is Docker running\?/m);
      expectNoStackTrace(run);
      expect(world.cf.requestsTo("ccUploader")).toEqual([]);

      await docker.restart();
      const appLabel = { label: [`io.restager.app-guid=${e2e.appGuid}`] };
      const left = await docker.docker.listContainers({ all: true, filters: appLabel });
      // Bound to the dead run (AutoRemove): the engine removed it, or at least stopped it.
      expect(left.filter((c) => c.State === "running")).toEqual([]);

      const next = await e2e.world({ buildpacks: ["static"] });
      const again = await runCli(
        "restage",
        [next.taskFile, "--no-image", "--cache-dir", e2e.cacheDir],
        options,
      );
      expectExit(again, 0);
      expect(next.cf.uploadedDroplets()).toHaveLength(1);
      if (left.length > 0) {
        expect(again.stderr).toContain(`staging container ${(left[0]?.Names[0] ?? "").slice(1)}`);
      }
      expect(await docker.docker.listContainers({ all: true, filters: appLabel })).toEqual([]);
      expect(await unfinishedVolumes(docker)).toEqual([]);
    });
  }
});

/** Dependency volumes without their completion marker (half-filled). */
async function unfinishedVolumes(docker: PrivateDocker): Promise<string[]> {
  const { Volumes } = await docker.docker.listVolumes({
    filters: { label: ["io.restager.kind=dependency"] },
  });
  const names = new Set((Volumes ?? []).map((v) => v.Name));
  return [...names].filter((n) => !n.endsWith("-complete") && !names.has(`${n}-complete`));
}
