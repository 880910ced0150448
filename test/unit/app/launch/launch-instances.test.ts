import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PortInUseError } from "../../../../src/container/port-in-use-error.js";
import { CancelledError } from "../../../../src/errors.js";
import { FakeAppRuntime } from "../../../kit/fake-app-runtime.js";
import { planApp } from "../../../../src/launch/app-plan.js";
import { launchInstances } from "../../../../src/app/launch/launch-instances.js";
import { lrpFixture } from "../../../kit/fixture-files.js";
import { launchOptions } from "../../../kit/launch-options.js";
import { TarArchives } from "../../../../src/archive/tar-archives.js";
import { pendingCertificates } from "../../../kit/pending-certificates.js";

const options = launchOptions({ image: "img", runId: "run123456789" });
const lrp = lrpFixture("lrp-cc-2024.json");

function deps(runtime: FakeAppRuntime) {
  let port = 61000;
  let guid = 0;
  return {
    runtime,
    findPort: () => Promise.resolve(port++),
    newGuid: () => `guid-${guid++}`,
    pollMs: 1,
    graceMs: 0,
  };
}

/** One instance of a cell with one trusted certificate (corp-ca.pem) and no identity. */
async function launchWithTrustedCert(runtime: FakeAppRuntime) {
  const trustedCerts = [{ name: "corp-ca.pem", content: Buffer.from("-----BEGIN") }];
  const cell = { identity: false, trustedCerts: pendingCertificates(trustedCerts) };
  const plan = planApp(lrp, { ...options, instances: 1, cell });
  const [outcome] = await launchInstances(plan, { ...deps(runtime), archives: new TarArchives() });
  return outcome;
}

describe("launching an app's instances", () => {
  it("reports an instance that exits right after its check passed as crashed, not as an error", async () => {
    const runtime = new FakeAppRuntime();
    const plan = planApp(lrp, { ...options, instances: 1 });
    runtime.stopBeforeRestarts.add("restager-node-env-0-run123");
    const [outcome] = await launchInstances(plan, deps(runtime));
    expect(outcome).toMatchObject({ index: 0, state: "crashed" });
    expect(runtime.restartsEnabled).toEqual([]);
  });

  it("starts one container per instance and reports them running once healthy", async () => {
    const runtime = new FakeAppRuntime();
    const plan = planApp(lrp, options);
    runtime.checkScripts.set("restager-node-env-0-run123", [1, 0]);
    const outcomes = await launchInstances(plan, deps(runtime));
    expect(outcomes.map((o) => [o.index, o.state])).toEqual([
      [0, "running"],
      [1, "running"],
    ]);
    // launch ran the check itself (twice for #0), as the app's user, and then let the engine
    // restart crashes.
    expect(runtime.checks.map((c) => [c.id, c.user, c.argv[0]])).toEqual([
      ["c0", "vcap", "/bin/sh"],
      ["c1", "vcap", "/bin/sh"],
      ["c0", "vcap", "/bin/sh"],
    ]);
    expect(runtime.restartsEnabled.sort()).toEqual(["c0", "c1"]);
    const [first, second] = runtime.containers;
    expect(first?.spec.env).toContain("INSTANCE_INDEX=0");
    expect(second?.spec.env).toContain("CF_INSTANCE_INDEX=1");
    expect(first?.spec.env).toContain("CF_INSTANCE_IP=172.17.0.1");
    expect(first?.spec.entrypoint.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(first?.spec.cmd).toEqual(["/tmp/lifecycle/launcher", "app", "node server.js", ""]);
    expect(runtime.containers.every((c) => !c.removed)).toBe(true);
  });

  it("reports an exited instance as crashed with Diego's reason and its last lines, and keeps it", async () => {
    const runtime = new FakeAppRuntime();
    runtime.logs = Array.from({ length: 12 }, (_, i) => ({
      stream: "err" as const,
      text: `line ${i}`,
    }));
    const plan = planApp(lrp, { ...options, instances: 1 });
    runtime.script("restager-node-env-0-run123", [
      { running: false, status: "exited", exitCode: 1 },
    ]);
    const [outcome] = await launchInstances(plan, deps(runtime));
    expect(outcome).toMatchObject({
      state: "crashed",
      reason: "APP/PROC/WEB: Exited with status 1",
    });
    expect(outcome?.lastLines.map((l) => l.text)).toEqual(runtime.logs.slice(2).map((l) => l.text));
    expect(runtime.containers[0]?.removed).toBe(false);
  });

  it("crashes and stops an instance never healthy within the start timeout", async () => {
    const runtime = new FakeAppRuntime();
    const plan = planApp(lrp, { ...options, instances: 1, startTimeoutMs: 30 });
    runtime.checkScripts.set("restager-node-env-0-run123", [1]);
    const [outcome] = await launchInstances(plan, deps(runtime));
    expect(outcome?.reason).toBe(
      "Instance never healthy after 30ms: failure to get valid HTTP response: 404",
    );
    expect(runtime.containers[0]).toMatchObject({ stopped: true, removed: false });
  });

  it("runs the check definition's start-up check once, in the healthcheck's startup mode, then the plain check", async () => {
    const runtime = new FakeAppRuntime();
    const plan = planApp(lrp, { ...options, instances: 1 });
    runtime.checkScripts.set("restager-node-env-0-run123", [1, 1, 0]);
    const [outcome] = await launchInstances(plan, deps(runtime));
    expect(outcome?.state).toBe("running");
    const scripts = runtime.checks.map((check) => check.argv[2] ?? "");
    expect(scripts).toHaveLength(3);
    // One healthcheck process that tries every 20 ms until the start timeout (60 s here)...
    expect(scripts[0]).toMatch(/ -startup-interval=20ms -startup-timeout=\d+ms \|\| exit \$\?\n/);
    const timeoutMs = Number(/-startup-timeout=(\d+)ms/.exec(scripts[0] ?? "")?.[1]);
    expect(timeoutMs).toBeGreaterThan(59_000);
    expect(timeoutMs).toBeLessThanOrEqual(60_000);
    // ...and when it ended early without a verdict, one try per poll, as before.
    expect(scripts.slice(1)).toEqual([plan.readyCheck?.[2], plan.readyCheck?.[2]]);
    expect(scripts[1]).not.toContain("-startup-");
  });

  it("starts the start-up check only once the cell's files are in, so the app gets the whole start timeout", async () => {
    const runtime = new FakeAppRuntime();
    const outcome = await launchWithTrustedCert(runtime);
    expect(outcome?.state).toBe("running");
    // The app waits for these files (start-script.ts); a cell starts app and check together.
    // (The trusted certificates' volume is not on this host: they go in with the rest.)
    expect(runtime.calls).toEqual(["starting c0", "put c0", "check c0"]);
    expect(runtime.checks[0]?.argv[2]).toContain("-startup-timeout=");
  });

  it("writes the trusted certificates into their volume while the engine starts the instance", async () => {
    const volume = await mkdtemp(join(tmpdir(), "trusted-volume-"));
    try {
      const runtime = new FakeAppRuntime();
      runtime.volumeSources = { "/etc/cf-system-certificates": volume };
      const outcome = await launchWithTrustedCert(runtime);
      expect(outcome?.state).toBe("running");
      expect(await readFile(join(volume, "corp-ca.pem"), "utf8")).toBe("-----BEGIN");
      // Nothing is left for after the start: no archive request.
      expect(runtime.calls).toEqual(["starting c0", "check c0"]);
    } finally {
      await rm(volume, { recursive: true, force: true });
    }
  });

  it("asks the engine to write nothing when the cell has no files for the instance", async () => {
    const runtime = new FakeAppRuntime();
    const cell = { identity: false, trustedCerts: pendingCertificates([]) };
    const plan = planApp(lrp, { ...options, instances: 1, cell });
    const [outcome] = await launchInstances(plan, {
      ...deps(runtime),
      archives: new TarArchives(),
    });
    expect(outcome?.state).toBe("running");
    expect(runtime.calls).toEqual(["check c0"]);
  });

  it("crashes an instance that exited during its start-up check with its exit status", async () => {
    const runtime = new FakeAppRuntime();
    const plan = planApp(lrp, { ...options, instances: 1 });
    runtime.checkScripts.set("restager-node-env-0-run123", [1]);
    // Running when the check starts, exited when it ended.
    runtime.script("restager-node-env-0-run123", [
      {},
      { running: false, status: "exited", exitCode: 137 },
    ]);
    const [outcome] = await launchInstances(plan, deps(runtime));
    expect(outcome).toMatchObject({
      state: "crashed",
      reason: "APP/PROC/WEB: Exited with status 137",
    });
    expect(runtime.checks).toHaveLength(1);
  });

  it("counts an instance without health check as running once it stayed up for the grace", async () => {
    const runtime = new FakeAppRuntime();
    const none = { ...lrp, monitor: undefined, checkDefinition: undefined };
    const plan = planApp(none, { ...options, instances: 1 });
    const [outcome] = await launchInstances(plan, { ...deps(runtime), graceMs: 0 });
    expect(outcome?.state).toBe("running");
    expect(runtime.containers[0]?.spec.healthcheck).toBeUndefined();
  });

  it("picks other host ports when one was taken meanwhile", async () => {
    const runtime = new FakeAppRuntime();
    runtime.takenPorts.add(61000);
    runtime.script("restager-node-env-0-run123", [{ health: "healthy" }]);
    const plan = planApp(lrp, { ...options, instances: 1 });
    const [outcome] = await launchInstances(plan, deps(runtime));
    expect(outcome?.ports).toEqual([{ containerPort: 8080, hostPort: 61001, hostIp: undefined }]);
  });

  it("does not retry a host port the user chose", async () => {
    const runtime = new FakeAppRuntime();
    runtime.takenPorts.add(9000);
    const publish = [{ hostPort: 9000, containerPort: 8080 }];
    const plan = planApp(lrp, { ...options, instances: 1, publish });
    await expect(launchInstances(plan, deps(runtime))).rejects.toBeInstanceOf(PortInUseError);
  });

  it("removes every instance when one cannot start", async () => {
    const runtime = new FakeAppRuntime();
    runtime.takenPorts.add(9001);
    const publish = [{ hostPort: 9000, containerPort: 8080 }];
    const plan = planApp(lrp, { ...options, publish });
    await expect(launchInstances(plan, deps(runtime))).rejects.toThrow(/9001/);
    expect(runtime.containers.map((c) => c.removed)).toEqual([true]);
  });

  it("removes the instances when interrupted while waiting", async () => {
    const runtime = new FakeAppRuntime();
    const plan = planApp(lrp, options);
    for (const index of [0, 1]) runtime.checkScripts.set(`restager-node-env-${index}-run123`, [1]);
    const controller = new AbortController();
    const launching = launchInstances(plan, deps(runtime), controller.signal);
    setTimeout(() => controller.abort(new CancelledError()), 20);
    await expect(launching).rejects.toBeInstanceOf(CancelledError);
    expect(runtime.containers.map((c) => c.removed)).toEqual([true, true]);
  });

  it("starts diego-sshd next to the app with --with-ssh", async () => {
    const runtime = new FakeAppRuntime();
    runtime.script("restager-node-env-0-run123", [{ health: "healthy" }]);
    const plan = planApp(lrp, { ...options, instances: 1, withSsh: true });
    await launchInstances(plan, deps(runtime));
    expect(runtime.containers[0]?.execs[0]?.argv[0]).toBe("/tmp/lifecycle/diego-sshd");
    expect(runtime.containers[0]?.spec.ports.map((p) => p.containerPort)).toEqual([8080, 2222]);
  });
});
