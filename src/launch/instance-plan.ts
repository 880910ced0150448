import type { AppPlan } from "./app-plan.js";
import { AppLabelKey } from "./app-labels.js";
import { instanceEnv, repEnv } from "./instance-env.js";
import { networkingEnv, type PortPair } from "../cell-env/networking-env.js";
import type { EnvVar } from "../core/env-var.js";

/** A published port of one instance. */
export interface InstancePort {
  containerPort: number;
  hostPort: number;
  /** Host address the port is bound to; undefined = every address (Docker's default). */
  hostIp?: string | undefined;
}

/** One container of a launched app: its identity, environment and ports. */
export interface InstancePlan {
  index: number;
  guid: string;
  name: string;
  env: EnvVar[];
  ports: InstancePort[];
  labels: Record<string, string>;
}

export interface InstanceInput {
  index: number;
  guid: string;
  /** The address other containers reach published ports on (CF_INSTANCE_IP). */
  hostIp: string;
  ports: InstancePort[];
}

export function planInstance(app: AppPlan, input: InstanceInput): InstancePlan {
  const pairs: PortPair[] = app.lrpPorts.map((container) => ({
    container,
    host: input.ports.find((port) => port.containerPort === container)?.hostPort,
  }));
  const env = instanceEnv(
    app.env,
    repEnv(String(input.index), input.guid),
    networkingEnv(input.hostIp, pairs),
  );
  return {
    index: input.index,
    guid: input.guid,
    name: containerName(app, input.index),
    env,
    ports: input.ports,
    labels: {
      ...app.labels,
      [AppLabelKey.instanceIndex]: String(input.index),
      [AppLabelKey.instanceGuid]: input.guid,
    },
  };
}

/** `restager-<app>-<index>-<run>`: readable in `docker ps`, unique per launch. */
export function containerName(app: AppPlan, index: number): string {
  return `restager-${appSlug(app)}-${index}-${app.runId.slice(0, 6)}`;
}

/** The app's name (else guid) reduced to what Docker, Swarm and k8s accept in names. */
export function appSlug(app: Pick<AppPlan, "app">): string {
  const base = (app.app.name ?? app.app.guid).toLowerCase();
  const slug = base.replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
  return (slug || "app").slice(0, 40).replace(/-+$/, "");
}
