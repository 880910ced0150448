/**
 * `restage` stopping early: the task's own timeout action (a buildpack that sleeps, a download
 * that stalls), every catchable signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT: exit 128 + its
 * number), a second signal during the cleanup, and SIGKILL. Each must end quickly with the
 * documented exit code and leave no container (the afterEach leak check and the checks below).
 */
import { mkdir, rm, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { DockerImageStore } from "../../src/container/docker-image-store.js";
import type { FoundImage } from "../../src/container/image-store.js";
import { faults } from "../kit/fake-cf/fake-cf.js";
import { useE2eCase, type E2eCase } from "../kit/e2e/e2e-case.js";
import { removeKept } from "../kit/e2e/bad-input-checks.js";
import { expectExit, expectNoStackTrace } from "../kit/e2e/expectations.js";

/** The sleepy buildpack sleeps 60 s: anything close to that means nothing stopped it. */
const wellBeforeSleepEnds = 40_000;
const images = new DockerImageStore();

describe("restage timeouts and interrupts", () => {
  const current = useE2eCase();

  it("fails the task (exit 1) when the builder outlives the task's timeout", async () => {
    const e2e = current();
    const world = await e2e.world({ buildpacks: ["sleepy"], timeoutSeconds: 3 });
    const run = await e2e.restage([world.taskFile]);
    expectExit(run, 1);
    expect(run.stderr).toContain("[STG] OUT        Sleeping for 60s");
    expect(run.stderr).toMatch(/^Staging failed: exceeded 3s timeout/m);
    expect(run.durationMs).toBeLessThan(wellBeforeSleepEnds);
    expect(await e2e.newContainers()).toEqual([]);
    expect(world.cf.requestsTo("ccUploader")).toEqual([]);
    expectNoStackTrace(run);
  });

  it("fails the task (exit 1) when a download stalls past the task's timeout", async () => {
    const e2e = current();
    const world = await e2e.world({ timeoutSeconds: 3 });
    world.cf.inject(
      { server: "blobstore", path: "/read/cc-packages/" },
      faults.slow({ delayMs: 10_000 }),
    );
    const run = await e2e.restage([world.taskFile]);
    expectExit(run, 1);
    expect(run.stderr).toMatch(/^Staging failed: exceeded 3s timeout/m);
    expect(run.durationMs).toBeLessThan(10_000);
    expect(await e2e.newContainers()).toEqual([]);
  });

  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, SIGQUIT: 131 } as const;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const) {
    it(`exits ${codes[signal]} on ${signal} while staging and removes the container`, async () => {
      const e2e = current();
      const world = await e2e.world({ buildpacks: ["sleepy"] });
      const running = e2e.startRestage([world.taskFile]);
      await running.waitForStderr(/Sleeping for 60s/);
      expect(await e2e.newContainers()).toHaveLength(1);
      const sentAt = performance.now();
      running.kill(signal);
      const run = await running.result;
      expect(performance.now() - sentAt).toBeLessThan(15_000);
      expectExit(run, codes[signal]);
      // Gone when restager exits: checked right away, well within 2 s of the exit.
      expect(await e2e.newContainers()).toEqual([]);
      expect(run.stderr).toContain(`Received ${signal}: stopping and removing the container...`);
      expect(run.stderr).toMatch(
        new RegExp(`^Error: Interrupted by ${signal}; removed container [0-9a-f]{12}$`, "m"),
      );
      expect(world.cf.requestsTo("ccUploader")).toEqual([]);
      expectNoStackTrace(run);
    });
  }

  it("keeps the droplet and says where when interrupted during its upload", async () => {
    const e2e = current();
    // The droplet's upload stalls, so the signal arrives while it is in flight.
    const world = await stalledDropletUpload(e2e);
    const running = e2e.startRestage([world.taskFile, "--no-image"]);
    await running.waitForStderr(/Uploading droplet\.\.\./);
    while (world.cf.requestsTo("ccUploader", "/v1/droplet/").length === 0) await sleep(100);
    running.kill("SIGTERM");
    const run = await running.result;
    expectExit(run, 143);
    const said =
      /^Error: Interrupted by SIGTERM; removed container [0-9a-f]{12}; the droplet is kept at (\S+)$/m.exec(
        run.stderr,
      );
    expect(said, run.stderr).not.toBeNull();
    const kept = resolve(e2e.cwd, said?.[1] ?? "");
    expect(kept).toMatch(/droplet\.tgz$/);
    expect((await stat(kept)).size).toBeGreaterThan(0);
    expect(await e2e.newContainers()).toEqual([]);
    expectNoStackTrace(run);
  });

  it("says what is left and how to remove it when a second signal cuts the cleanup short", async () => {
    const e2e = current();
    const world = await e2e.world({ buildpacks: ["sleepy"] });
    const running = e2e.startRestage([world.taskFile]);
    await running.waitForStderr(/Sleeping for 60s/);
    running.kill("SIGINT");
    await running.waitForStderr(/Received SIGINT: stopping/);
    running.kill("SIGINT");
    const run = await running.result;
    expectExit(run, 130);
    expect(run.stderr).toContain("Received SIGINT again: exiting before the cleanup finished");
    expect(run.stderr).toMatch(
      /^Left: staging container [0-9a-f]{12}; it removes itself once restager has exited \(if it is still listed by 'docker ps -a': docker rm -f [0-9a-f]{12}\)$/m,
    );
    expect(run.stderr).toMatch(
      /^Left: temporary files in \S+restager-run_\S+; remove them with: rm -rf \S+$/m,
    );
    // The container's binding removes it anyway.
    await expectNoContainersWithin(e2e, 10_000);
    expectNoStackTrace(run);
    // The temp directory the message named: the next restage reaps it, nothing else needs to.
    await rm(e2e.tmpDir, { recursive: true, force: true });
    await mkdir(e2e.tmpDir);
  });

  it("leaves no staging container running 10 s after restager is SIGKILLed mid-builder", async () => {
    const e2e = current();
    const world = await e2e.world({ buildpacks: ["sleepy"] });
    const running = e2e.startRestage([world.taskFile]);
    await running.waitForStderr(/Sleeping for 60s/);
    expect(await e2e.newContainers()).toHaveLength(1);
    running.kill("SIGKILL");
    const run = await running.result;
    expect(run.signal).toBe("SIGKILL");
    await expectNoContainersWithin(e2e, 10_000);
    expect(world.cf.requestsTo("ccUploader")).toEqual([]);
    // Its temp directory stays (nothing runs after a SIGKILL): the next restage reaps it.
    const next = await e2e.world({ buildpacks: ["static"] });
    const again = await e2e.restage([next.taskFile, "--no-image"]);
    expectExit(again, 0);
    expect(again.stderr).toMatch(
      /^Removed what restages that are gone left behind: temp directory \S+restager-run_/m,
    );
  });

  it("the image a SIGKILLed restage built while it uploaded is removed by the next one", async () => {
    const e2e = current();
    // The droplet's upload stalls: the image is built meanwhile under a temporary name, holding
    // the droplet's layer itself (the result was read as the upload began: no carrier).
    const world = await stalledDropletUpload(e2e);
    const running = e2e.startRestage([world.taskFile]);
    const loaded = () => images.findImages("io.restager.app-guid", world.appGuid);
    while (!pendingIn(await loaded())) await sleep(100);
    running.kill("SIGKILL");
    expect((await running.result).signal).toBe("SIGKILL");
    expect(kinds(await loaded())).toEqual(["image"]);
    await expectNoContainersWithin(e2e, 10_000);
    await expectReapedByNextRestage(e2e, loaded);
  });

  it("the droplet carrier a SIGKILLed --keep restage loaded while it uploaded is removed by the next one", async () => {
    const e2e = current();
    // --keep reads the result only after the uploads: the layer goes into the engine meanwhile,
    // in a carrier, and no image is built before the upload answers.
    const world = await stalledDropletUpload(e2e);
    const running = e2e.startRestage([world.taskFile, "--keep"]);
    const loaded = () => images.findImages("io.restager.app-guid", world.appGuid);
    try {
      while (!kinds(await loaded()).includes("droplet-carrier")) await sleep(100);
      running.kill("SIGKILL");
      expect((await running.result).signal).toBe("SIGKILL");
      expect(kinds(await loaded())).toEqual(["droplet-carrier"]);
    } finally {
      await removeKept(e2e);
    }
    await expectReapedByNextRestage(e2e, loaded);
  });
});

/** A world whose droplet upload stalls for a minute: a signal lands while it is in flight. */
async function stalledDropletUpload(e2e: E2eCase): Promise<E2eWorld> {
  const world = await e2e.world({ buildpacks: ["static"] });
  world.cf.inject({ server: "ccUploader", path: "/v1/droplet/" }, faults.slow({ delayMs: 60_000 }));
  return world;
}

type E2eWorld = Awaited<ReturnType<E2eCase["world"]>>;

/** The next restage (of another world) removes the images a SIGKILLed one left. */
async function expectReapedByNextRestage(
  e2e: E2eCase,
  loaded: () => Promise<FoundImage[]>,
): Promise<void> {
  const next = await e2e.world({ buildpacks: ["static"] });
  expectExit(await e2e.restage([next.taskFile, "--no-image"]), 0);
  expect(await loaded()).toEqual([]);
}

/** Whether one of the images has a temporary name (the image built ahead, pending-tag.ts). */
function pendingIn(found: FoundImage[]): boolean {
  return found.some((image) => image.repoTags.some((tag) => tag.startsWith("restager-pending:")));
}

/** What each image is: a carrier by its kind label, else a launcher image. */
function kinds(found: FoundImage[]): string[] {
  return found.map((image) => image.labels["io.restager.kind"] ?? "image").sort();
}

/** Polls the engine until none of the test's containers is left (in any state). */
async function expectNoContainersWithin(e2e: E2eCase, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let left = await e2e.newContainers();
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(200);
    left = await e2e.newContainers();
  }
  expect(left).toEqual([]);
}
