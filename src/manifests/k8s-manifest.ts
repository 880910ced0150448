import { stringify } from "yaml";
import { yamlOptions } from "./yaml-options.js";
import { LabelKey } from "../core/labels.js";
import { AppLabelKey, type AppPlan, appSlug, startEntrypoint } from "../launch/index.js";
import { escapeK8s, k8sEnv } from "./k8s-env.js";
import { k8sProbes } from "./k8s-probes.js";

/** `--k8s-kind`: the workload the instances run as. */
export type K8sKind = "statefulset" | "deployment";

/**
 * A StatefulSet (or a Deployment), replicas = the LRP's instances, and a Service (one port per
 * published LRP port) running the app as `launch` would: the start script then the run action's argv, the run
 * action's env plus Diego's variables (k8s-env.ts), memory_mb as the memory request and limit,
 * cpu_weight as a CPU request carrying the same share (1024 shares = 1 CPU), nofile through
 * the start script (pods have no ulimits), the health check as probes (k8s-probes.ts) and
 * Diego's 10 s grace period. The image runs as its own user (the image builder sets vcap).
 * The StatefulSet gives each pod its ordinal as instance index (k8s-env.ts); its pods start
 * and stop all at once (`Parallel`), as a cell starts every instance of an LRP together, and
 * its governing Service is a headless one of the same pods. A Deployment has no index.
 */
export function k8sManifest(app: AppPlan, kind: K8sKind = "statefulset"): string {
  const name = appSlug(app);
  const selector = { "app.kubernetes.io/name": name, [LabelKey.appGuid]: app.app.guid };
  const labels = { ...selector, "app.kubernetes.io/managed-by": "restager" };
  const annotations = {
    [AppLabelKey.processGuid]: app.processGuid,
    [LabelKey.appName]: app.app.name ?? "",
  };
  const stateful = kind === "statefulset";
  const podsName = `${name}-pods`;
  const workload = {
    apiVersion: "apps/v1",
    kind: stateful ? "StatefulSet" : "Deployment",
    metadata: { name, labels, annotations },
    spec: {
      ...(stateful ? { serviceName: podsName, podManagementPolicy: "Parallel" } : {}),
      replicas: app.instances,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels, annotations },
        spec: {
          terminationGracePeriodSeconds: 10,
          containers: [container(app, name, stateful)],
        },
      },
    },
  };
  const headless = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: podsName, labels },
    spec: { clusterIP: "None", selector },
  };
  const service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, labels },
    spec: {
      selector,
      ports: app.published.map(({ containerPort }) => ({
        name: `port-${containerPort}`,
        port: containerPort,
        targetPort: containerPort,
        protocol: "TCP",
      })),
    },
  };
  const documents = [
    workload,
    ...(app.published.length > 0 ? [service] : []),
    ...(stateful ? [headless] : []),
  ];
  return documents.map((doc) => stringify(doc, yamlOptions)).join("---\n");
}

function container(app: AppPlan, name: string, stateful: boolean): Record<string, unknown> {
  const resources: Record<string, Record<string, string>> = {};
  if (app.memoryMb > 0) {
    resources.limits = { memory: `${app.memoryMb}Mi` };
    resources.requests = { memory: `${app.memoryMb}Mi` };
  }
  if (app.cpuShares) {
    const millicores = Math.max(1, Math.round((app.cpuShares * 1000) / 1024));
    resources.requests = { ...resources.requests, cpu: `${millicores}m` };
  }
  return {
    name,
    image: app.image,
    command: startEntrypoint({ cutGuids: true, nofile: app.nofile, sidecars: app.sidecars }).map(
      escapeK8s,
    ),
    args: app.command.map(escapeK8s),
    workingDir: app.workingDir,
    env: k8sEnv(app, stateful ? "ordinal" : "zero"),
    ports: app.published.map(({ containerPort }) => ({ containerPort, protocol: "TCP" })),
    resources,
    ...k8sProbes(app.health, app.startTimeoutMs),
  };
}
