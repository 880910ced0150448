import type { SwarmPort, SwarmServiceSpec } from "../container/swarm-runtime.js";
import { UsageError } from "../errors.js";
import type { AppPlan } from "./app-plan.js";
import { AppLabelKey } from "./app-labels.js";
import { appSlug } from "./instance-plan.js";
import { instanceEnv, repEnv } from "./instance-env.js";
import { envStrings } from "../core/merge-env.js";
import { networkingEnv } from "../cell-env/networking-env.js";
import { startEntrypoint } from "./start-script.js";

export type PublishMode = "ingress" | "host";

/**
 * The Swarm service of an app: its instances become replicas. What Docker knows per container
 * comes from Swarm templates and the start script instead: INSTANCE_GUID/CF_INSTANCE_GUID are
 * the task id (`{{.Task.ID}}`), INSTANCE_INDEX/CF_INSTANCE_INDEX are the task slot minus one
 * (the script subtracts; templates cannot), CF_INSTANCE_IP is the node as the container sees it
 * (its default gateway). Ports: ingress publishes each LRP port once for the whole service
 * (`--publish` or a free port), so CF_INSTANCE_PORT is known; host mode publishes on every node
 * running a task, on a random port per task unless `--publish` fixes one (one replica only), so
 * CF_INSTANCE_PORT/ADDR are then empty. Swarm has no CPU shares: cpu_weight is not applied.
 */
export function swarmServiceSpec(app: AppPlan, ports: SwarmPort[]): SwarmServiceSpec {
  const pairs = app.lrpPorts.map((container) => ({
    container,
    host: ports.find((port) => port.target === container)?.published,
  }));
  const rep = repEnv("0", taskIdTemplate);
  const env = instanceEnv(app.env, rep, networkingEnv(undefined, pairs));
  return {
    name: swarmServiceName(app),
    image: app.image,
    command: startEntrypoint({ indexFromSlot: true, gatewayIp: true, sidecars: app.sidecars }),
    args: [...app.command],
    env: [
      ...envStrings(env).map((entry) => (templated.has(entry) ? entry : escapeTemplate(entry))),
      "RESTAGER_TASK_SLOT={{.Task.Slot}}",
    ],
    user: app.user,
    workingDir: app.workingDir,
    labels: { ...app.labels, [AppLabelKey.output]: "swarm" },
    replicas: app.instances,
    ports,
    memoryMb: app.memoryMb,
    nofile: app.nofile,
    healthcheck: app.healthcheck,
    network: app.network,
  };
}

const taskIdTemplate = "{{.Task.ID}}";
/** The env entries that are Swarm templates on purpose. */
const templated = new Set([
  `INSTANCE_GUID=${taskIdTemplate}`,
  `CF_INSTANCE_GUID=${taskIdTemplate}`,
]);

/**
 * Swarm expands Go templates in env values: a recorded `{{` must reach the app verbatim, so it
 * is written as the template `{{"{{"}}`.
 */
export function escapeTemplate(entry: string): string {
  return entry.replaceAll("{{", '{{"{{"}}');
}

export function swarmServiceName(app: AppPlan): string {
  return `restager-${appSlug(app)}-${app.runId.slice(0, 6)}`;
}

/** The published ports of the service; `findPort` picks ingress ports not given by --publish. */
export async function swarmPorts(
  app: AppPlan,
  mode: PublishMode,
  findPort: (taken: ReadonlySet<number>) => Promise<number>,
): Promise<SwarmPort[]> {
  const taken = new Set<number>();
  const ports: SwarmPort[] = [];
  for (const { containerPort, fixed } of app.published) {
    if (fixed && mode === "host" && app.instances > 1) {
      throw new UsageError(
        `--publish ${fixed.hostPort}:${containerPort} with host publishing fits one replica per node`,
        {
          hint: "Leave the host port to Swarm (random per task) or use --publish-mode ingress",
        },
      );
    }
    const published = fixed?.hostPort ?? (mode === "ingress" ? await findPort(taken) : undefined);
    if (published !== undefined) taken.add(published);
    ports.push({ target: containerPort, published, mode });
  }
  return ports;
}
