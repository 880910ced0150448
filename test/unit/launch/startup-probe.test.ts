import { describe, expect, it } from "vitest";
import type { ProbeResult } from "../../../src/container/app-runtime.js";
import { launchInstances } from "../../../src/app/launch/launch-instances.js";
import { planApp } from "../../../src/launch/app-plan.js";
import { FakeAppRuntime } from "../../kit/fake-app-runtime.js";
import { lrpFixture } from "../../kit/fixture-files.js";
import { launchOptions } from "../../kit/launch-options.js";

// One instance with the fixture's check definition: an HTTP check of /health on 8080.
const lrp = lrpFixture("lrp-cc-2024.json");
const plan = planApp(lrp, {
  ...launchOptions({ image: "img", runId: "run123456789" }),
  instances: 1,
});
const name = "restager-node-env-0-run123";

function deps(runtime: FakeAppRuntime) {
  return { runtime, findPort: () => Promise.resolve(61000), pollMs: 1, graceMs: 0 };
}

const refused: ProbeResult = {
  outcome: "failed",
  message: "Failed to make HTTP request to '/health' on port 8080: connection refused",
};

describe("the start-up check tried from restager's side", () => {
  it("dials the instance's address with the check's probe until it passes, with no docker exec", async () => {
    const runtime = new FakeAppRuntime();
    runtime.script(name, [{ ip: "172.17.0.5" }]);
    runtime.probeScript = [refused, refused, { outcome: "passed" }];
    const [outcome] = await launchInstances(plan, deps(runtime));
    expect(outcome?.state).toBe("running");
    expect(runtime.probes).toEqual(
      Array(3).fill({ ip: "172.17.0.5", port: 8080, path: "/health", timeoutMs: 1000 }),
    );
    expect(runtime.checks).toEqual([]);
    expect(runtime.restartsEnabled).toEqual(["c0"]);
  });

  it("asks the healthcheck binary in the container when this side cannot reach the instance", async () => {
    const runtime = new FakeAppRuntime();
    runtime.script(name, [{ ip: "172.17.0.5" }]);
    runtime.probeScript = [refused, { outcome: "unreachable" }];
    const [outcome] = await launchInstances(plan, deps(runtime));
    expect(outcome?.state).toBe("running");
    expect(runtime.probes).toHaveLength(2);
    expect(runtime.checks.map((check) => check.argv.join(" "))).toEqual([
      expect.stringContaining("-startup-interval=20ms"),
    ]);
  });

  it("leaves the verdict and its words to the binary when the start timeout ends", async () => {
    const runtime = new FakeAppRuntime();
    runtime.script(name, [{ ip: "172.17.0.5" }]);
    runtime.probeScript = [refused];
    runtime.checkScripts.set(name, [6]);
    const quick = { ...plan, startTimeoutMs: 60 };
    const [outcome] = await launchInstances(quick, deps(runtime));
    expect(outcome).toMatchObject({
      state: "crashed",
      reason: "Instance never healthy after 60ms: failure to get valid HTTP response: 404",
    });
    expect(runtime.checks.map((check) => check.argv)).toEqual([quick.readyCheck]);
  });

  it("stops trying when the instance exits, and reports the exit", async () => {
    const runtime = new FakeAppRuntime();
    const exited = { running: false, status: "exited", exitCode: 3 };
    runtime.script(name, [{ ip: "172.17.0.5" }, { ip: "172.17.0.5" }, exited]);
    runtime.probeScript = [refused];
    const [outcome] = await launchInstances(plan, deps(runtime));
    expect(outcome).toMatchObject({ state: "crashed" });
    expect(outcome?.state === "crashed" && outcome.reason).toMatch(/Exited with status 3/);
    expect(runtime.checks).toEqual([]);
  });

  it("writes the live marker as the in-container check would, owned like the start marker", async () => {
    const runtime = new FakeAppRuntime();
    runtime.script(name, [{ ip: "172.17.0.5" }]);
    runtime.probeScript = [{ outcome: "passed" }];
    await launchInstances(plan, deps(runtime));
    expect(runtime.touched).toEqual(["c0 /tmp/.restager-live (like /tmp/.restager-started)"]);
  });

  it("asks the binary in the container once when the marker cannot be written from here", async () => {
    const runtime = new FakeAppRuntime();
    runtime.script(name, [{ ip: "172.17.0.5" }]);
    runtime.probeScript = [{ outcome: "passed" }];
    runtime.touchWorks = false;
    const [outcome] = await launchInstances(plan, deps(runtime));
    expect(outcome?.state).toBe("running");
    // The one try of the check, which writes the marker as the app's user.
    expect(runtime.checks.map((check) => check.argv)).toEqual([plan.readyCheck]);
    expect(plan.readyCheck?.join(" ")).toContain(": >/tmp/.restager-live");
  });
});
