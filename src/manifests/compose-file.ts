import { stringify } from "yaml";
import { yamlOptions } from "./yaml-options.js";
import {
  AppLabelKey,
  type AppPlan,
  appSlug,
  instanceEnv,
  repEnv,
  startEntrypoint,
} from "../launch/index.js";
import { networkingEnv } from "../cell-env/networking-env.js";

/**
 * A compose file with one service per instance index, `<app>-0` to `<app>-<instances − 1>`:
 * compose gives the replicas of one service a shared environment and no index, so each index is
 * its own service with INSTANCE_INDEX/CF_INSTANCE_INDEX set (the launcher then writes it into
 * VCAP_APPLICATION's instance_index, as on a cell) and the `io.restager.instance-index` label.
 * INSTANCE_GUID/CF_INSTANCE_GUID are a fresh 28-character id per container start (start
 * script), CF_INSTANCE_IP is the container's gateway. Ports: `--publish HOST:CONTAINER` gives
 * instance i the host port HOST+i, as `launch` does; else a random host port per instance
 * (then CF_INSTANCE_PORT/ADDR are empty). `$` is doubled everywhere because compose
 * interpolates `$VAR`.
 */
export function composeFile(app: AppPlan): string {
  const name = appSlug(app);
  const services = Object.fromEntries(
    Array.from({ length: app.instances }, (_, index) => [
      `${name}-${index}`,
      indexService(app, index),
    ]),
  );
  const file: Record<string, unknown> = { name, services };
  if (app.network) file.networks = { [app.network]: { external: true } };
  return stringify(file, yamlOptions);
}

/** The service of one instance index. */
function indexService(app: AppPlan, index: number): Record<string, unknown> {
  const published = app.published.map(({ containerPort, fixed }) => ({
    containerPort,
    fixed: fixed && { ...fixed, hostPort: fixed.hostPort + index },
  }));
  const pairs = app.lrpPorts.map((container) => ({
    container,
    host: published.find((p) => p.containerPort === container)?.fixed?.hostPort,
  }));
  const env = instanceEnv(app.env, repEnv(String(index), ""), networkingEnv(undefined, pairs));
  const service: Record<string, unknown> = {
    image: app.image,
    entrypoint: startEntrypoint({
      gatewayIp: true,
      guidAtStart: true,
      sidecars: app.sidecars,
    }).map(escapeCompose),
    command: app.command.map(escapeCompose),
    user: app.user,
    working_dir: app.workingDir,
    environment: Object.fromEntries(env.map((v) => [v.name, escapeCompose(v.value)])),
    ports: published.map(({ containerPort, fixed }) =>
      fixed
        ? `${fixed.hostIp ? `${fixed.hostIp}:` : ""}${fixed.hostPort}:${containerPort}`
        : String(containerPort),
    ),
    init: true,
    restart: "no",
    labels: {
      ...app.labels,
      [AppLabelKey.output]: "compose",
      [AppLabelKey.instanceIndex]: String(index),
    },
    ...limits(app),
    ...(app.healthcheck ? { healthcheck: healthcheck(app) } : { healthcheck: { disable: true } }),
  };
  if (app.network) service.networks = [app.network];
  return service;
}

function limits(app: AppPlan): Record<string, unknown> {
  const limits: Record<string, unknown> = {};
  if (app.memoryMb > 0) {
    limits.mem_limit = `${app.memoryMb}m`;
    limits.memswap_limit = `${app.memoryMb}m`;
  }
  if (app.cpuShares) limits.cpu_shares = app.cpuShares;
  if (app.nofile) limits.ulimits = { nofile: { soft: app.nofile, hard: app.nofile } };
  return limits;
}

function healthcheck(app: AppPlan): Record<string, unknown> {
  const check = app.healthcheck;
  if (!check) return {};
  return {
    test: check.test.map(escapeCompose),
    interval: `${check.intervalMs}ms`,
    timeout: `${check.timeoutMs}ms`,
    retries: check.retries,
    start_period: `${check.startPeriodMs}ms`,
  };
}

/** Compose interpolates `$VAR` and `${VAR}`; `$$` is its escape for `$`. */
export function escapeCompose(text: string): string {
  return text.replaceAll("$", () => "$$");
}
