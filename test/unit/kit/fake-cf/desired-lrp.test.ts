import { describe, expect, it } from "vitest";
import { buildDesiredLrp } from "../../../kit/fake-cf/desired-lrp.js";
import type { FakeCfEndpoints } from "../../../kit/fake-cf/fake-cf-options.js";
import { desiredLrpLogLine } from "../../../kit/fake-cf/log-lines.js";

const endpoints: FakeCfEndpoints = {
  fileServer: "http://172.17.0.1:1001",
  blobstore: "http://172.17.0.1:1002",
  ccUploader: "http://172.17.0.1:1003",
  cloudController: "http://172.17.0.1:1004",
  stager: "http://172.17.0.1:1005",
  credentials: { username: "u", password: "p" },
};
const APP = "600de972-c322-4a27-8d91-47dc3d42e133";
const base = {
  endpoints,
  appGuid: APP,
  appName: "node-env",
  dropletUrl: `${endpoints.cloudController}/internal/v2/droplets/${APP}/abc/download`,
  startCommand: "node server.js",
};

type Json = Record<string, unknown>;

describe("desired LRP builder", () => {
  it("builds the nsync era shape (docs/diego.md §4.3)", () => {
    const lrp = buildDesiredLrp({ ...base, instances: 2, env: [{ name: "foo", value: "bar" }] });
    expect(lrp).toMatchObject({
      domain: "cf-apps",
      rootfs: "preloaded:cflinuxfs4",
      instances: 2,
      ports: [8080],
      log_guid: APP,
    });
    expect(lrp.process_guid).toMatch(new RegExp(`^${APP}-[0-9a-f-]{36}$`));
    const setup = ((lrp.setup as Json).serial as Json).actions as Json[];
    expect(setup[0]).toEqual({
      download: {
        from: base.dropletUrl,
        to: ".",
        cache_key: `droplets-${String(lrp.process_guid)}`,
        user: "vcap",
      },
    });
  });

  it("runs the launcher with CC's env plus PORT and the lifecycle dependency", () => {
    const lrp = buildDesiredLrp({ ...base, env: [{ name: "foo", value: "bar" }] });
    const launcher = ((lrp.action as Json).codependent as { actions: { run: Json }[] }).actions[0]
      ?.run;
    expect(launcher).toMatchObject({
      path: "/tmp/lifecycle/launcher",
      args: ["app", "node server.js", ""],
      log_source: "APP",
    });
    const env = launcher?.env as { name: string; value: string }[];
    expect(env.map((e) => e.name)).toEqual([
      "VCAP_APPLICATION",
      "MEMORY_LIMIT",
      "VCAP_SERVICES",
      "foo",
      "PORT",
    ]);
    expect(lrp.cached_dependencies).toEqual([
      {
        name: "",
        from: `${endpoints.fileServer}/v1/static/buildpack_app_lifecycle/buildpack_app_lifecycle.tgz`,
        to: "/tmp/lifecycle",
        cache_key: "buildpack-cflinuxfs4-lifecycle",
        log_source: "",
      },
    ]);
    expect(lrp.cpu_weight).toBe(12);
  });

  it("maps the health check type to the monitor", () => {
    const monitorRuns = (lrp: Json) =>
      (
        (((lrp.monitor as Json).timeout as Json).action as Json).parallel as {
          actions: { run: Json }[];
        }
      ).actions.map((a) => a.run.args);
    expect(monitorRuns(buildDesiredLrp({ ...base, ports: [8080, 9090] }))).toEqual([
      ["-port=8080"],
      ["-port=9090"],
    ]);
    expect(
      monitorRuns(buildDesiredLrp({ ...base, healthCheck: { type: "http", endpoint: "/health" } })),
    ).toEqual([["-port=8080", "-uri=/health"]]);
    expect(buildDesiredLrp({ ...base, healthCheck: { type: "none" } })).not.toHaveProperty(
      "monitor",
    );
  });

  it("survives the nsync log line unchanged", () => {
    const lrp = buildDesiredLrp(base);
    expect(
      (JSON.parse(desiredLrpLogLine(lrp)) as { data: { desiredLRP: unknown } }).data.desiredLRP,
    ).toEqual(lrp);
  });
});
