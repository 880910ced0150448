import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { planApp } from "../../../src/launch/app-plan.js";
import type { LaunchOptions } from "../../../src/launch/launch-options.js";
import { composeFile } from "../../../src/manifests/compose-file.js";
import { lrpFixture } from "../../kit/fixture-files.js";
import { launchOptions } from "../../kit/launch-options.js";

const options = launchOptions({
  image: "restager/node-env:1",
  env: [{ name: "DOLLAR", value: "cost $5 ${HOME}" }],
  network: undefined,
});
const lrp = lrpFixture("lrp-cc-2024.json");

interface ComposeService {
  deploy?: unknown;
  labels: Record<string, string>;
  command: string[];
  entrypoint: string[];
  environment: Record<string, string>;
  ports: string[];
  networks?: string[];
}
interface ComposeFile {
  name: string;
  services: Record<string, ComposeService>;
  networks?: unknown;
}

function compose(extra: Partial<LaunchOptions> = {}): ComposeFile {
  return parse(composeFile(planApp(lrp, { ...options, ...extra }))) as ComposeFile;
}

function service(extra: Partial<LaunchOptions> = {}, index = 0): ComposeService {
  const file = compose(extra);
  expect(file.name).toBe("node-env");
  return file.services[`node-env-${index}`] as ComposeService;
}

describe("the compose file", () => {
  it("has one service per instance index, each with its index", () => {
    const file = compose();
    expect(Object.keys(file.services)).toEqual(["node-env-0", "node-env-1"]);
    for (const [index, name] of ["node-env-0", "node-env-1"].entries()) {
      const app = file.services[name] as ComposeService;
      expect(app.deploy).toBeUndefined();
      expect(app.environment.INSTANCE_INDEX).toBe(String(index));
      expect(app.environment.CF_INSTANCE_INDEX).toBe(String(index));
      expect(app.labels["io.restager.instance-index"]).toBe(String(index));
      expect(app.labels["io.restager.output"]).toBe("compose");
      expect(Object.keys(app.environment).slice(0, 4)).toEqual([
        "INSTANCE_GUID",
        "INSTANCE_INDEX",
        "CF_INSTANCE_GUID",
        "CF_INSTANCE_INDEX",
      ]);
    }
    const three = compose({ instances: 3 });
    expect(Object.keys(three.services)).toEqual(["node-env-0", "node-env-1", "node-env-2"]);
    expect(three.services["node-env-2"]?.environment.INSTANCE_INDEX).toBe("2");
  });

  it("keeps the recorded VCAP_APPLICATION for the launcher to add the index", () => {
    const recorded = compose().services["node-env-1"]?.environment.VCAP_APPLICATION ?? "";
    expect(service().environment.VCAP_APPLICATION).toBe(recorded);
    expect(JSON.parse(recorded.replaceAll("$$", "$"))).toHaveProperty("application_name");
  });

  it("runs the start script and the run action's argv", () => {
    const app = service();
    expect(app.command).toEqual(["/tmp/lifecycle/launcher", "app", "node server.js", ""]);
    expect(app.entrypoint[2]).toContain(
      "INSTANCE_GUID=$$(cut -c1-28 /proc/sys/kernel/random/uuid)",
    );
    expect(app).toMatchObject({
      user: "vcap",
      working_dir: "/home/vcap",
      init: true,
      restart: "no",
    });
  });

  it("keeps the env with $ doubled for compose's interpolation", () => {
    const env = service().environment;
    expect(env.DOLLAR).toBe("cost $$5 $${HOME}");
    expect(env.VCAP_SERVICES).toContain("Db-Passw0rd-4242");
    expect(env.INSTANCE_GUID).toBe("");
    expect(env.CF_INSTANCE_PORT).toBe("");
  });

  it("applies limits, ulimits and the health check", () => {
    expect(service()).toMatchObject({
      mem_limit: "512m",
      memswap_limit: "512m",
      cpu_shares: 61,
      ulimits: { nofile: { soft: 16384, hard: 16384 } },
      healthcheck: { interval: "2000ms", retries: 3, start_period: "60000ms" },
    });
  });

  it("publishes a random host port per instance, or --publish's HOST+index", () => {
    expect(service().ports).toEqual(["8080"]);
    expect(service({}, 1).ports).toEqual(["8080"]);
    const publish = [{ hostIp: "127.0.0.1", hostPort: 9090, containerPort: 8080 }];
    for (const index of [0, 1]) {
      const fixed = service({ publish }, index);
      expect(fixed.ports).toEqual([`127.0.0.1:${9090 + index}:8080`]);
      expect(fixed.environment.CF_INSTANCE_PORT).toBe(String(9090 + index));
    }
  });

  it("joins an existing network with --network", () => {
    const file = compose({ network: "apps" });
    expect(file.networks).toEqual({ apps: { external: true } });
    expect(file.services["node-env-0"]?.networks).toEqual(["apps"]);
    expect(file.services["node-env-1"]?.networks).toEqual(["apps"]);
  });
});
