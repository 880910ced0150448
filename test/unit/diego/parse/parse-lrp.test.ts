import { describe, expect, it } from "vitest";
import { findActions } from "../../../../src/diego/actions.js";
import { parseDesiredLrp } from "../../../../src/diego/parse/parse-lrp.js";
import { requestFixtureJson } from "../../../kit/fixture-files.js";

const fixture = requestFixtureJson;

const processGuid2024 = "273b4ea1-c0b9-4a7c-bd3b-5275150cad19-6d0f2b9a-8c4e-4f1d-a3b7-2e5c9d1f8a64";

describe("receptor DesiredLRPCreateRequest (2015)", () => {
  const { value: lrp } = parseDesiredLrp(fixture("lrp-receptor-2015.json"));

  it("converts start_timeout seconds and the monitor's nanosecond timeout", () => {
    expect(lrp.era).toBe("receptor");
    expect(lrp.startTimeoutMs).toBe(60_000);
    expect(lrp.monitor).toMatchObject({ kind: "timeout", timeoutMs: 30_000 });
    const [healthcheck] = lrp.monitor ? findActions(lrp.monitor, "run") : [];
    expect(healthcheck).toMatchObject({
      args: ["-port=8080"],
      env: [],
      user: "vcap",
      logSource: "HEALTH",
    });
  });

  it("defaults users and reads setup, codependent action, ports and routes", () => {
    const setupUsers = lrp.setup ? findActions(lrp.setup, "download").map((d) => d.user) : [];
    expect(setupUsers).toEqual(["vcap", "vcap"]);
    expect(findActions(lrp.action, "run").map((r) => [r.path, r.user])).toEqual([
      ["/tmp/lifecycle/launcher", "vcap"],
      ["/tmp/lifecycle/diego-sshd", "vcap"],
    ]);
    expect(lrp.ports).toEqual([8080, 2222]);
    expect(lrp.routes.http).toEqual([
      {
        hostnames: ["node-env.10.244.0.34.xip.io"],
        port: 8080,
        routeServiceUrl: undefined,
        protocol: undefined,
      },
    ]);
    expect(lrp.routes.ssh?.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
  });
});

describe("nsync BBS DesiredLRP (2016)", () => {
  const { value: lrp, warnings } = parseDesiredLrp(fixture("lrp-bbs-2016.json"));

  it("parses without warnings", () => {
    expect(warnings).toEqual([]);
    expect(lrp.era).toBe("bbs");
    expect(lrp).toMatchObject({ domain: "cf-apps", instances: 1, cpuWeight: 10, privileged: true });
  });

  it("keeps the droplet download to the home directory and the cached lifecycle", () => {
    const [droplet] = lrp.setup ? findActions(lrp.setup, "download") : [];
    expect(droplet).toMatchObject({ to: ".", user: "vcap", checksum: undefined });
    expect(droplet?.cacheKey).toMatch(/^droplets-273b4ea1-/);
    expect(lrp.cachedDependencies.map((d) => d.to)).toEqual(["/tmp/lifecycle"]);
    expect(lrp.routes.tcp).toEqual([]);
    expect(lrp.networkProperties).toMatchObject({ app_id: "273b4ea1-c0b9-4a7c-bd3b-5275150cad19" });
  });
});

describe("Cloud Controller DesiredLRP (2024)", () => {
  const { value: lrp, warnings } = parseDesiredLrp(fixture("lrp-cc-2024.json"));

  it("reads instances, check_definition and millisecond timeouts", () => {
    expect(warnings).toEqual([]);
    expect(lrp).toMatchObject({
      era: "cc",
      processGuid: processGuid2024,
      instances: 2,
      startTimeoutMs: 60_000,
    });
    expect(lrp.checkDefinition).toEqual({
      checks: [
        { kind: "http", port: 8080, path: "/health", requestTimeoutMs: 1000, intervalMs: 30000 },
      ],
      readinessChecks: [],
      logSource: "",
    });
    expect(lrp.monitor).toMatchObject({ kind: "timeout", timeoutMs: 600_000 });
  });

  it("reads every route kind; null route service URLs become undefined", () => {
    expect(lrp.routes.http).toEqual([
      {
        hostnames: ["node-env.apps.example.com", "www.node-env.example.org"],
        port: 8080,
        routeServiceUrl: undefined,
        protocol: "http1",
      },
    ]);
    expect(lrp.routes.internal).toEqual(["node-env.apps.internal"]);
    expect(lrp.routes.ssh?.containerPort).toBe(2222);
    expect(lrp.routes.other).toEqual({});
  });

  it("keeps the droplet checksum", () => {
    const [droplet] = lrp.setup ? findActions(lrp.setup, "download") : [];
    expect(droplet?.checksum?.algorithm).toBe("sha256");
  });
});

describe("cfdot desired-lrp (declarative mode)", () => {
  const { value: lrp, warnings } = parseDesiredLrp(fixture("cfdot-desired-lrp.json"));

  it("turns the EXCLUSIVE droplet layer into the setup", () => {
    expect(warnings).toEqual([]);
    expect(lrp.setup).toMatchObject({
      kind: "parallel",
      actions: [{ kind: "download", artifact: "droplet", to: "/home/vcap", user: "vcap" }],
    });
    expect(lrp.cachedDependencies).toHaveLength(1);
    expect(lrp.cachedDependencies[0]?.cacheKey).toBe(lrp.cachedDependencies[0]?.from);
  });

  it("runs layer downloads before a recorded setup", () => {
    const json = fixture("cfdot-desired-lrp.json");
    const recorded = fixture("lrp-cc-2024.json").setup;
    const { value } = parseDesiredLrp({ ...json, setup: recorded });
    expect(value.setup).toMatchObject({
      kind: "serial",
      actions: [{ kind: "parallel" }, { kind: "serial", actions: [{ kind: "download", to: "." }] }],
    });
  });
});

describe("docker-image LRP", () => {
  it("keeps registry credentials in the model", () => {
    const { value: lrp } = parseDesiredLrp(fixture("lrp-cc-docker.json"));
    expect(lrp.rootfs).toBe("docker://registry.example.com/acme/node-env#1.4.2");
    expect(lrp).toMatchObject({ imageUsername: "deployer", imagePassword: "Regi5try-Token-77f3" });
    expect(lrp.checkDefinition?.checks).toEqual([
      { kind: "tcp", port: 8080, connectTimeoutMs: undefined, intervalMs: undefined },
    ]);
    expect(findActions(lrp.action, "run")[0]?.user).toBe("root");
  });
});

describe("liberal reading", () => {
  it("assumes one instance and warns about sidecars it will not run", () => {
    const { instances: _instances, ...json } = fixture("lrp-bbs-2016.json");
    const { value, warnings } = parseDesiredLrp({
      ...json,
      sidecars: [{ action: { run: { path: "/bin/sidecar", user: "vcap" } }, memory_mb: 32 }],
    });
    expect(value.instances).toBe(1);
    expect(warnings.map((w) => w.path)).toEqual(["instances", "sidecars"]);
  });
});
