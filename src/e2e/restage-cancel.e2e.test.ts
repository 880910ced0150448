/**
 * `restage` stopping early: the task's own timeout action (a buildpack that sleeps, a download
 * that stalls) and the user's SIGINT/SIGTERM. Each must end quickly with the documented exit code
 * and remove its container (the afterEach leak check and the explicit checks below).
 */
import { describe, expect, it } from "vitest";
import { faults } from "../testing/fake-cf/fake-cf.js";
import { useE2eCase } from "./e2e-case.js";
import { expectExit, expectNoStackTrace } from "./expectations.js";

/** The sleepy buildpack sleeps 60 s: anything close to that means nothing stopped it. */
const wellBeforeSleepEnds = 40_000;

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

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 130 on ${signal} while staging and removes the container`, async () => {
      const e2e = current();
      const world = await e2e.world({ buildpacks: ["sleepy"] });
      const running = e2e.startRestage([world.taskFile]);
      await running.waitForStderr(/Sleeping for 60s/);
      expect(await e2e.newContainers()).toHaveLength(1);
      const sentAt = performance.now();
      running.kill(signal);
      const run = await running.result;
      expect(performance.now() - sentAt).toBeLessThan(15_000);
      expectExit(run, 130);
      expect(run.stderr).toContain(`Received ${signal}: stopping and removing the container...`);
      expect(run.stderr).toMatch(
        new RegExp(`^Error: Interrupted by ${signal}; removed container [0-9a-f]{12}$`, "m"),
      );
      expect(await e2e.newContainers()).toEqual([]);
      expect(world.cf.requestsTo("ccUploader")).toEqual([]);
      expectNoStackTrace(run);
    });
  }
});
