import { describe, expect, it } from "vitest";
import { appHealth, parseGoDurationMs } from "../../../src/launch/app-health.js";
import {
  containerHealthcheck,
  startupCheckArgv,
} from "../../../src/launch/container-healthcheck.js";
import { lrpFixture } from "../../kit/fixture-files.js";

describe("health checks of each LRP era", () => {
  it("receptor 2015: the monitor's run action, as recorded", () => {
    const health = appHealth(lrpFixture("lrp-receptor-2015.json"));
    expect(health).toMatchObject({
      source: "monitor",
      probes: [{ kind: "tcp", port: 8080 }],
      commands: [["/tmp/lifecycle/healthcheck", "-port=8080"]],
    });
  });

  it("bbs 2016: each run of the monitor's parallel action", () => {
    const health = appHealth(lrpFixture("lrp-bbs-2016.json"));
    expect(health.source).toBe("monitor");
    expect(health.commands).toEqual([["/tmp/lifecycle/healthcheck", "-port=8080"]]);
  });

  it("cc 2024: check_definition wins over the monitor; an http check on its path", () => {
    const health = appHealth(lrpFixture("lrp-cc-2024.json"));
    expect(health).toMatchObject({
      source: "check_definition",
      probes: [{ kind: "http", port: 8080, path: "/health", timeoutMs: 1000, intervalMs: 30_000 }],
      commands: [["/tmp/lifecycle/healthcheck", "-port=8080", "-timeout=1000ms", "-uri=/health"]],
    });
  });

  it("cfdot and docker LRPs: tcp checks from check_definition", () => {
    expect(appHealth(lrpFixture("cfdot-desired-lrp.json")).source).toBe("check_definition");
    const docker = appHealth(lrpFixture("lrp-cc-docker.json"));
    expect(docker.commands).toEqual([
      ["/tmp/lifecycle/healthcheck", "-port=8080", "-timeout=1000ms"],
    ]);
  });

  it("none: no monitor and no check definition", () => {
    const lrp = { ...lrpFixture("lrp-bbs-2016.json"), monitor: undefined };
    expect(appHealth(lrp)).toEqual({ source: "none", probes: [], readiness: [], commands: [] });
    expect(containerHealthcheck(appHealth(lrp), 60_000)).toBeUndefined();
  });

  it("reads -uri and -timeout from a monitor's args", () => {
    const lrp = lrpFixture("lrp-bbs-2016.json");
    const monitor = {
      kind: "run" as const,
      path: "/tmp/lifecycle/healthcheck",
      args: ["-port=9000", "-uri", "/ready", "-timeout=2s"],
      env: [],
      resourceLimits: {},
      user: "vcap",
      suppressLogOutput: true,
    };
    expect(appHealth({ ...lrp, monitor }).probes).toEqual([
      { kind: "http", port: 9000, path: "/ready", timeoutMs: 2000 },
    ]);
  });
});

describe("Docker's health check", () => {
  it("runs one probe directly, every 2 s, with the start timeout as start period", () => {
    const check = containerHealthcheck(appHealth(lrpFixture("lrp-cc-2024.json")), 45_000);
    expect(check).toEqual({
      test: ["CMD", "/tmp/lifecycle/healthcheck", "-port=8080", "-timeout=1000ms", "-uri=/health"],
      intervalMs: 2000,
      timeoutMs: 3000,
      retries: 3,
      startPeriodMs: 45_000,
    });
  });

  it("runs several probes through the shell, all of which must pass", () => {
    const lrp = lrpFixture("lrp-cc-2024.json");
    const checks = [
      { kind: "tcp" as const, port: 8080 },
      { kind: "http" as const, port: 9090, path: "/a b" },
    ];
    const definition = { checks, readinessChecks: [], logSource: "" };
    const check = containerHealthcheck(appHealth({ ...lrp, checkDefinition: definition }), 60_000);
    expect(check?.test).toEqual([
      "CMD-SHELL",
      "/tmp/lifecycle/healthcheck -port=8080 -timeout=1000ms && " +
        "/tmp/lifecycle/healthcheck -port=9090 -timeout=1000ms '-uri=/a b'",
    ]);
  });

  it("parses Go durations", () => {
    expect(["1s", "500ms", "1m30s", "1.5s", "x", undefined].map(parseGoDurationMs)).toEqual([
      1000,
      500,
      90_000,
      1500,
      undefined,
      undefined,
    ]);
  });
});

describe("the start-up check launch runs once per instance", () => {
  it("check definition: each probe in the healthcheck's startup mode, then the live marker", () => {
    const argv = startupCheckArgv(appHealth(lrpFixture("lrp-cc-2024.json")), 60_000);
    expect(argv?.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(argv?.[2]?.split("\n")).toEqual([
      "/tmp/lifecycle/healthcheck -port=8080 -timeout=1000ms -uri=/health -startup-interval=20ms -startup-timeout=60000ms || exit $?",
      ": >/tmp/.restager-live",
    ]);
  });

  it("a monitor of the lifecycle's healthcheck: its own args, then the startup flags", () => {
    const argv = startupCheckArgv(appHealth(lrpFixture("lrp-bbs-2016.json")), 1_500);
    expect(argv?.[2]?.split("\n")[0]).toBe(
      "/tmp/lifecycle/healthcheck -port=8080 -startup-interval=20ms -startup-timeout=1500ms || exit $?",
    );
  });

  it("none for a monitor running anything else, and for no check", () => {
    const lrp = lrpFixture("lrp-bbs-2016.json");
    const other = { ...appHealth(lrp), commands: [["/usr/bin/curl", "-f", "localhost:8080"]] };
    expect(startupCheckArgv(other, 60_000)).toBeUndefined();
    expect(startupCheckArgv(appHealth({ ...lrp, monitor: undefined }), 60_000)).toBeUndefined();
  });
});
