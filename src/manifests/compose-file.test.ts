import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { DesiredLrp } from "../diego/desired-lrp.js";
import { parseRequest } from "../diego/parse/parse-request.js";
import { planApp } from "../launch/app-plan.js";
import type { LaunchOptions } from "../launch/launch-options.js";
import { composeFile } from "./compose-file.js";

function lrpFixture(name: string): DesiredLrp {
  const url = new URL(`../../fixtures/requests/${name}`, import.meta.url);
  return parseRequest(JSON.parse(readFileSync(url, "utf8")), "lrp").value as DesiredLrp;
}

const options: LaunchOptions = {
  image: "restager/node-env:1",
  publish: [],
  envFile: [],
  env: [{ name: "DOLLAR", value: "cost $5 ${HOME}" }],
  keepProxy: false,
  withSsh: false,
  labels: {},
  runId: "abcdef123456",
  hostEnv: {},
  network: undefined,
};
const lrp = lrpFixture("lrp-cc-2024.json");

interface ComposeService {
  deploy: unknown;
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

function service(extra: Partial<LaunchOptions> = {}): ComposeService {
  const file = compose(extra);
  expect(file.name).toBe("node-env");
  return file.services["node-env"] as ComposeService;
}

describe("the compose file", () => {
  it("has one service with deploy.replicas, the start script and the run action's argv", () => {
    const app = service();
    expect(app.deploy).toEqual({ replicas: 2 });
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

  it("publishes random host ports per replica, or the one --publish names", () => {
    expect(service().ports).toEqual(["8080"]);
    const fixed = service({ instances: 1, publish: [{ hostPort: 9090, containerPort: 8080 }] });
    expect(fixed.ports).toEqual(["9090:8080"]);
    expect(fixed.environment.CF_INSTANCE_PORT).toBe("9090");
  });

  it("joins an existing network with --network", () => {
    const file = compose({ network: "apps" });
    expect(file.networks).toEqual({ apps: { external: true } });
    expect(file.services["node-env"]?.networks).toEqual(["apps"]);
  });
});
