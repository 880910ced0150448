/**
 * The Docker engine stops in the middle of a restage. A private engine (private-docker.ts, in
 * its own network namespace, so the shared engine and its docker0 are never touched) is stopped
 * while the sleepy buildpack runs: restage must end with exit 69 and one clear line naming the
 * engine, without a stack trace. The engine stops the staging container, so once it is back
 * that container is still there; the next restage removes it, saying so, and leaves nothing.
 */
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli } from "./cli.js";
import { useE2eCase } from "./e2e-case.js";
import { expectExit, expectNoStackTrace } from "./expectations.js";
import { PrivateDocker } from "./private-docker.js";

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

  it("exits 69 naming the engine; the next restage removes the stopped staging container", async () => {
    const e2e = current();
    const docker = engine as PrivateDocker;
    const options = e2e.cliOptions({ env: { DOCKER_HOST: docker.host } });
    const world = await e2e.world({ buildpacks: ["sleepy"] });
    const running = startCli("restage", [world.taskFile, "--cache-dir", e2e.cacheDir], options);
    await running.waitForStderr(/Sleeping for 60s/);
    // As `systemctl stop docker` does: the engine stops its containers, then exits.
    await docker.stop("SIGTERM");
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
    expect(left.map((c) => [c.Labels["io.restager.kind"], c.State])).toEqual([
      ["staging", "exited"],
    ]);

    const next = await e2e.world({ buildpacks: ["static"] });
    const again = await runCli(
      "restage",
      [next.taskFile, "--no-image", "--cache-dir", e2e.cacheDir],
      options,
    );
    expectExit(again, 0);
    const name = (left[0]?.Names[0] ?? "").replace(/^\//, "");
    expect(again.stderr).toContain(
      `Removed ${name} (${left[0]?.Id.slice(0, 12)}), a staging container of node-env left by an interrupted restage`,
    );
    expect(await docker.docker.listContainers({ all: true, filters: appLabel })).toEqual([]);
  });
});
