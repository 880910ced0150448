import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { launch, type LaunchReport, type LaunchRequest } from "../../../src/app/launch.js";
import { ExitCode, NoInputError, UsageError } from "../../../src/errors.js";
import { ImageLabel } from "../../../src/image/image-labels.js";
import { fakeLaunchWorld, type FakeLaunchWorld } from "../../kit/fake-launch-ports.js";
import { requestFixturePath } from "../../kit/fixture-files.js";

/** The droplet sha256 lrp-cc-2024.json names. */
const dropletSha256 = "c6d1e654517dfae39474507bb0eaea2af337444d7975352204ac1390bc789e97";

function request(overrides: Partial<LaunchRequest> = {}): LaunchRequest {
  return {
    file: requestFixturePath("lrp-cc-2024.json"),
    target: "docker",
    attach: false,
    dryRun: false,
    stack: [],
    publish: [],
    env: [],
    envFile: [],
    label: [],
    keepProxy: false,
    withSsh: false,
    publishMode: "ingress",
    k8sKind: "statefulset",
    maskCredentials: false,
    hostEnv: {},
    ...overrides,
  };
}

/** A world whose engine holds `img` (built from another droplet) and the LRP's own image. */
function world(): FakeLaunchWorld {
  const made = fakeLaunchWorld();
  made.runtime.images = [
    { id: "sha256:aaa", ref: "img:1", createdMs: 1, labels: {} },
    {
      id: "sha256:bbb",
      ref: "restager/node-env:own",
      createdMs: 2,
      labels: { [ImageLabel.dropletSha256]: dropletSha256 },
    },
  ];
  return made;
}

function kindOf<K extends LaunchReport["kind"]>(report: LaunchReport, kind: K) {
  expect(report.kind).toBe(kind);
  return report as Extract<LaunchReport, { kind: K }>;
}

describe("launch (the use case): image choice", () => {
  it("runs the engine's image of the LRP's droplet, without opening a download", async () => {
    const { ports, runtime, downloads } = world();
    const report = kindOf(await launch(request(), ports), "instances");
    expect(report.instances.plan.image).toBe("restager/node-env:own");
    expect(runtime.containers.map((c) => c.spec.image)).toEqual([
      "restager/node-env:own",
      "restager/node-env:own",
    ]);
    // Nothing is downloaded, so the download client (undici) is never even opened.
    expect(downloads).toEqual({ opened: 0, closed: 0 });
  });

  it("makes no identity key when no image can be had (the failing run exits at once)", async () => {
    const made = world();
    made.runtime.images = [];
    await expect(launch(request(), made.ports)).rejects.toThrow();
    expect(made.issuer).toEqual({ prepared: 0, closed: 0 });
  });

  it("runs --image even when it holds another droplet, and warns", async () => {
    const { ports, events } = world();
    const report = kindOf(await launch(request({ image: "img:1" }), ports), "instances");
    expect(report.instances.plan.image).toBe("img:1");
    const warnings = events.flatMap((e) => (e.kind === "warning" ? [e.text] : []));
    expect(warnings).toEqual([expect.stringMatching(/^--image img:1 holds no known droplet/)]);
  });

  it("k8s with --image needs no engine and no download", async () => {
    const made = fakeLaunchWorld({
      runtime: () => {
        throw new Error("the engine was used");
      },
    });
    const report = kindOf(
      await launch(request({ target: "k8s", image: "registry/app:1" }), made.ports),
      "manifest",
    );
    expect(report.yaml).toContain("registry/app:1");
    expect(made.downloads.opened).toBe(0);
  });
});

describe("launch (the use case): detached, attached, dry run", () => {
  it("detached: returns once the instances run and leaves them running (exit 0)", async () => {
    const { ports, runtime, interruptions, issuer, keptSinceMs } = world();
    const startedMs: number[] = [];
    const run = runtime.runApp.bind(runtime);
    runtime.runApp = async (...args) => {
      const id = await run(...args);
      startedMs.push(Date.now());
      return id;
    };
    const report = kindOf(await launch(request(), ports), "instances");
    expect(report.exitCode).toBe(ExitCode.ok);
    expect(report.instances.outcomes.map((o) => o.state)).toEqual(["running", "running"]);
    expect(report.instances.attached).toBeUndefined();
    expect(runtime.containers.map((c) => c.removed)).toEqual([false, false]);
    expect(interruptions).toEqual(["removing the instances"]);
    // A key is made ahead once the image is found, and none once every identity is issued
    // (a key being made would hold the exit back).
    expect(issuer).toEqual({ prepared: 1, closed: 1 });
    // The keeper follows restarts from after the first starts (launch gave those identities).
    expect(keptSinceMs).toHaveLength(1);
    expect(keptSinceMs[0]).toBeGreaterThanOrEqual(Math.max(...startedMs));
  });

  it("detached: a crashed instance makes the exit code taskFailed, and is kept", async () => {
    const { ports, runtime } = world();
    // Every container the launch starts has exited 1 (their names hold the run's random id).
    const running = runtime.runApp.bind(runtime);
    runtime.runApp = async (spec) => {
      runtime.script(spec.name, [{ running: false, status: "exited", exitCode: 1 }]);
      return running(spec);
    };
    const report = kindOf(await launch(request({ instances: 1 }), ports), "instances");
    expect(report.exitCode).toBe(ExitCode.taskFailed);
    expect(report.instances.outcomes.map((o) => o.state)).toEqual(["crashed"]);
    expect(runtime.containers.map((c) => c.removed)).toEqual([false]);
  });

  it("attached: reports the instances before the logs, and an interrupt ends it 0 with every instance removed", async () => {
    const made = world();
    const order: string[] = [];
    made.ports.onProgress = (event) => {
      made.events.push(event);
      if (event.kind === "attached") {
        order.push("attached");
        made.interrupt();
      }
    };
    const report = await launch(request({ attach: true }), made.ports);
    expect(report).toEqual({ kind: "attached", exitCode: 0 });
    expect(order).toEqual(["attached"]);
    const attached = made.events.find((e) => e.kind === "attached");
    expect(attached?.kind === "attached" && attached.report.attached).toBe(true);
    expect(made.runtime.containers.map((c) => c.removed)).toEqual([true, true]);
    expect(made.interruptions).toEqual(["stopping and removing the instances"]);
  });

  it("attached: when every instance exits on its own, says so and ends 1", async () => {
    const made = world();
    const report = await launch(request({ attach: true }), made.ports);
    expect(report).toEqual({ kind: "attached", exitCode: 1 });
    expect(made.events).toContainEqual({ kind: "error", text: "Every instance exited" });
    expect(made.runtime.containers.every((c) => c.removed)).toBe(true);
  });

  it("dry run: one docker run line per instance, nothing started", async () => {
    const made = world();
    const report = kindOf(await launch(request({ dryRun: true }), made.ports), "dry-run");
    expect(report.lines.map((l) => l.index)).toEqual([0, 1]);
    expect(report.lines[0]?.line).toMatch(/^docker run /);
    expect(report.lines[0]?.line).toContain("--restart unless-stopped");
    expect(made.runtime.containers).toEqual([]);
  });

  it("--attach or --dry-run with another target is a usage error, before reading the request", async () => {
    const made = world();
    for (const target of ["swarm", "k8s", "compose"] as const) {
      const asked = request({ target, attach: true, file: "/nonexistent/lrp.json" });
      await expect(launch(asked, made.ports)).rejects.toBeInstanceOf(UsageError);
      const dry = request({ target, dryRun: true, file: "/nonexistent/lrp.json" });
      await expect(launch(dry, made.ports)).rejects.toThrow(/--output docker only/);
    }
  });
});

describe("launch (the use case): swarm and manifests", () => {
  it("swarm: a service with the LRP's replicas, a note on CPU shares, exit 0 when all run", async () => {
    const made = world();
    const report = kindOf(await launch(request({ target: "swarm" }), made.ports), "swarm");
    expect(report.exitCode).toBe(ExitCode.ok);
    expect(made.swarm.specs.map((s) => s.replicas)).toEqual([2]);
    expect(made.events).toContainEqual({
      kind: "note",
      text: "Swarm services have no CPU shares; cpu_weight is not applied",
    });
    expect(made.interruptions).toEqual(["removing the service"]);
    expect(made.runtime.containers).toEqual([]);
  });

  it("compose to --out: the file keeps the credentials, mode 0600, with a warning after", async () => {
    const made = world();
    const dir = await mkdtemp(join(tmpdir(), "launch-app-"));
    const out = join(dir, "compose.yaml");
    const report = kindOf(
      await launch(request({ target: "compose", out, image: "img:1" }), made.ports),
      "manifest",
    );
    expect(report.yaml).toBeUndefined();
    expect(report.after[0]).toEqual({ level: "info", text: `Wrote a compose file to ${out}` });
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(await readFile(out, "utf8")).toContain("services:");
  });

  it("k8s on a terminal: the printed YAML has its credentials masked, with a warning", async () => {
    const made = world();
    const asked = request({ target: "k8s", image: "img:1", maskCredentials: true });
    const shown = kindOf(await launch(asked, made.ports), "manifest");
    const raw = kindOf(await launch({ ...asked, maskCredentials: false }, made.ports), "manifest");
    expect(shown.yaml).not.toEqual(raw.yaml);
    expect(shown.after.map((m) => m.level)).toEqual(["warning"]);
    expect(shown.after[0]?.text).toMatch(/^credentials are masked on the terminal/);
  });
});

describe("launch (the use case): settings", () => {
  it("rejects --instances 0 and --start-timeout 0 as usage errors", async () => {
    const made = world();
    await expect(launch(request({ instances: 0 }), made.ports)).rejects.toThrow(
      "--instances 0: expected a whole number from 1",
    );
    await expect(launch(request({ startTimeout: 0 }), made.ports)).rejects.toThrow(
      "--start-timeout 0: expected seconds above 0",
    );
  });

  it("applies --instances, --label and --env-file (before --env) to every container", async () => {
    const made = world();
    const dir = await mkdtemp(join(tmpdir(), "launch-app-"));
    const envFile = join(dir, "app.env");
    await writeFile(envFile, "GREETING=from-file\nOTHER=1\n");
    await launch(
      request({ instances: 1, label: ["team=blue"], envFile: [envFile], env: ["GREETING=set"] }),
      made.ports,
    );
    expect(made.runtime.containers).toHaveLength(1);
    const spec = made.runtime.containers[0]?.spec;
    expect(spec?.labels.team).toBe("blue");
    const env = spec?.env ?? [];
    expect(env.indexOf("GREETING=from-file")).toBeLessThan(env.indexOf("GREETING=set"));
    expect(env).toContain("OTHER=1");
  });

  it("a missing --env-file is a NoInputError naming the file", async () => {
    const made = world();
    const asked = request({ envFile: ["/nonexistent/app.env"] });
    await expect(launch(asked, made.ports)).rejects.toBeInstanceOf(NoInputError);
    await expect(launch(asked, made.ports)).rejects.toThrow(
      "Cannot read the env file /nonexistent/app.env",
    );
  });

  it("a --label without a key is a usage error", async () => {
    const made = world();
    await expect(launch(request({ label: ["=x"] }), made.ports)).rejects.toThrow(
      "--label =x: expected KEY=VALUE",
    );
  });
});
