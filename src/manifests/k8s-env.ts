import { type AppPlan, instanceEnv, repEnv } from "../launch/index.js";
import { instancePortsJson } from "../cell-env/networking-env.js";

export type K8sEnvVar =
  | { name: string; value: string }
  | { name: string; valueFrom: { fieldRef: { fieldPath: string } } };

/** Pod fields standing in for what the rep and executor know per instance. */
const fromPod: Record<string, string> = {
  INSTANCE_GUID: "metadata.uid",
  CF_INSTANCE_GUID: "metadata.uid",
  CF_INSTANCE_IP: "status.podIP",
  CF_INSTANCE_INTERNAL_IP: "status.podIP",
};

/**
 * The label a StatefulSet controller puts on each pod with its ordinal (Kubernetes 1.28+,
 * feature PodIndexLabel, on by default since then): 0 to replicas − 1, as Diego's indexes.
 */
export const podIndexField = "metadata.labels['apps.kubernetes.io/pod-index']";

const fromStatefulPod: Record<string, string> = {
  ...fromPod,
  INSTANCE_INDEX: podIndexField,
  CF_INSTANCE_INDEX: podIndexField,
};

/** How the pods get their index: from the StatefulSet's ordinal, or 0 (a Deployment has none). */
export type K8sIndex = "ordinal" | "zero";

/**
 * The container env of the workload, in Diego's order. Per-pod values come from the pod: the
 * guids are the pod's uid, both IPs its address (pods are reached directly, as Eirini did) and,
 * in a StatefulSet, INSTANCE_INDEX/CF_INSTANCE_INDEX its ordinal (the pod-index label), which
 * the launcher also writes into VCAP_APPLICATION's instance_index; a Deployment has no index, so
 * every replica gets 0. CF_INSTANCE_PORT is the first port and CF_INSTANCE_ADDR refers to
 * CF_INSTANCE_IP with k8s's `$(VAR)` syntax. Literal `$(` in recorded values is written `$$(`
 * so k8s passes it through unexpanded.
 */
export function k8sEnv(app: AppPlan, index: K8sIndex): K8sEnvVar[] {
  const first = app.published[0]?.containerPort;
  const pairs = app.lrpPorts.map((container) => ({
    container,
    host: app.published.some((p) => p.containerPort === container) ? container : undefined,
  }));
  const networking = [
    { name: "CF_INSTANCE_IP", value: "" },
    { name: "CF_INSTANCE_INTERNAL_IP", value: "" },
    { name: "CF_INSTANCE_PORT", value: first === undefined ? "" : String(first) },
    { name: "CF_INSTANCE_ADDR", value: first === undefined ? "" : `$(CF_INSTANCE_IP):${first}` },
    { name: "CF_INSTANCE_PORTS", value: instancePortsJson(pairs) },
  ];
  const env = instanceEnv(app.env, repEnv(index === "zero" ? "0" : "", ""), networking);
  return env.map(({ name, value }) => {
    const fieldPath = index === "ordinal" ? fromStatefulPod[name] : fromPod[name];
    if (fieldPath !== undefined && value === "")
      return { name, valueFrom: { fieldRef: { fieldPath } } };
    if (name === "CF_INSTANCE_ADDR") return { name, value };
    return { name, value: escapeK8s(value) };
  });
}

/** k8s expands `$(VAR)` in env values, command and args; `$$(` is its escape for `$(`. */
export function escapeK8s(text: string): string {
  return text.replaceAll("$(", () => "$$(");
}
