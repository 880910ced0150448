import { describe, expect, it } from "vitest";
import type { DesiredLrp } from "../../../../src/diego/desired-lrp.js";
import { buildPlan } from "../../../../src/diego/plan/build-plan.js";
import { formatDuration } from "../../../../src/diego/plan/format-duration.js";
import type { PlanStep } from "../../../../src/diego/plan/plan.js";
import { requestFixture } from "../../../kit/fixture-files.js";

const request = requestFixture;

/** Follows child indexes through groups and wrappers. */
function stepAt(step: PlanStep | undefined, ...indexes: number[]): PlanStep | undefined {
  let current = step;
  for (const index of indexes) {
    if (!current) return undefined;
    if ("steps" in current) current = current.steps[index];
    else if ("step" in current) current = index === 0 ? current.step : undefined;
    else return undefined;
  }
  return current;
}

describe("buildPlan for a staging task", () => {
  const plan = buildPlan(request("task-bbs-2016.json"));

  it("summarises the container", () => {
    expect(plan).toMatchObject({
      kind: "task",
      era: "bbs",
      rootfs: "preloaded:cflinuxfs2",
      stack: "cflinuxfs2",
      privileged: true,
      limits: { memoryMb: 1024, diskMb: 6144, cpuWeight: 50, nofile: 16384, maxPids: 0 },
      egressRuleCount: 4,
      env: [{ name: "LANG", value: "en_US.UTF-8" }],
      task: { resultFile: "/tmp/result.json" },
    });
  });

  it("lists cached dependencies with redacted sources", () => {
    expect(plan.cachedDependencies).toHaveLength(4);
    const staticfile = plan.cachedDependencies[1];
    expect(staticfile?.name).toBe("staticfile_buildpack");
    expect(staticfile?.source).toMatch(
      /^https:\/\/blobstore\.service\.cf\.internal\/read\/cc-buildpacks\/.*\?…$/,
    );
  });

  it("turns the action tree into steps", () => {
    expect(plan.action).toMatchObject({ kind: "timeout", timeoutMs: 900_000, duration: "15m" });
    expect(stepAt(plan.action, 0, 0)).toMatchObject({
      kind: "download",
      artifact: "app package",
      target: "/tmp/app",
      cacheKey: "",
      user: "vcap",
    });
    const cache = stepAt(plan.action, 0, 1, 0);
    expect(cache?.kind === "download" && cache.source).toMatch(
      /^http:\/\/\*\*\*@cloud-controller-ng\.service\.cf\.internal:9022\//,
    );
    const run = stepAt(plan.action, 0, 2, 0);
    expect(run).toMatchObject({ kind: "run", user: "vcap", dir: "/home/vcap", nofile: 16384 });
    expect(run?.kind === "run" && run.env.find((e) => e.name === "VCAP_SERVICES")?.value).toBe(
      "<redacted>",
    );
    expect(stepAt(plan.action, 0, 3, 0, 0)).toMatchObject({
      kind: "upload",
      from: "/tmp/droplet",
      destination:
        "http://cc-uploader.service.cf.internal:9090/v1/droplet/273b4ea1-c0b9-4a7c-bd3b-5275150cad19?…",
    });
  });
});

describe("buildPlan for desired LRPs", () => {
  it("resolves relative download targets against the user's home and describes declarative checks", () => {
    const plan = buildPlan(request("lrp-cc-2024.json"));
    const droplet = stepAt(plan.setup, 0);
    expect(droplet).toMatchObject({ kind: "download", target: "/home/vcap" });
    expect(droplet?.kind === "download" && droplet.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(plan.lrp).toMatchObject({
      instances: 2,
      ports: [8080, 2222],
      startTimeoutMs: 60_000,
      healthCheck: {
        source: "check_definition",
        checks: ["http :8080/health (request timeout 1s, every 30s)"],
      },
      routes: {
        http: [
          { hostnames: ["node-env.apps.example.com", "www.node-env.example.org"], port: 8080 },
        ],
        internal: ["node-env.apps.internal"],
        ssh: {
          containerPort: 2222,
          hostFingerprint: "a6:d1:08:0b:b0:cb:9b:5f:c4:ba:44:2a:97:26:19:8a",
        },
      },
    });
    expect(plan.lrp?.routes.ssh).not.toHaveProperty("privateKey");
    const sshd = stepAt(plan.action, 1);
    expect(sshd?.kind === "run" && sshd.args).toContain("-hostKey=<redacted>");
  });

  it("describes monitor health checks and runs root in /root", () => {
    const lrp = request("lrp-receptor-2015.json") as DesiredLrp;
    const plan = buildPlan(lrp);
    expect(plan.lrp?.healthCheck).toEqual({
      source: "monitor",
      checks: ["/tmp/lifecycle/healthcheck -port=8080"],
      readinessChecks: [],
    });
    expect(plan.lrp?.monitor).toMatchObject({ kind: "timeout", duration: "30s" });
    const docker = buildPlan(request("lrp-cc-docker.json"));
    expect(stepAt(docker.action, 0)).toMatchObject({ kind: "run", user: "root", dir: "/root" });
    expect(buildPlan({ ...lrp, monitor: undefined }).lrp?.healthCheck.source).toBe("none");
  });

  it("shows image layers and the setup built from them", () => {
    const plan = buildPlan(request("cfdot-desired-lrp.json"));
    expect(plan.imageLayers.map((l) => [l.layerType, l.name, l.target])).toEqual([
      ["SHARED", "buildpack-cflinuxfs4-lifecycle", "/tmp/lifecycle"],
      ["EXCLUSIVE", "droplet", "/home/vcap"],
    ]);
    expect(plan.setup).toMatchObject({
      kind: "parallel",
      steps: [{ kind: "download", artifact: "droplet", user: "vcap" }],
    });
  });
});

describe("formatDuration", () => {
  it.each([
    [900_000, "15m"],
    [600_000, "10m"],
    [30_000, "30s"],
    [90_000, "1m30s"],
    [5_400_000, "1h30m"],
    [1_500, "1.5s"],
    [500, "500ms"],
    [0, "0ms"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
