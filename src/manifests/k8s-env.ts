import type { AppPlan } from "../launch/app-plan.js";
import { instanceEnv, repEnv } from "../launch/instance-env.js";
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
 * The container env of the Deployment, in Diego's order. Per-pod values come from the pod:
 * the guids are the pod's uid and both IPs its address (pods are reached directly, as Eirini
 * did); CF_INSTANCE_PORT is the first port and CF_INSTANCE_ADDR refers to CF_INSTANCE_IP with
 * k8s's `$(VAR)` syntax. A Deployment has no instance index: every replica gets 0. Literal
 * `$(` in recorded values is written `$$(` so k8s passes it through unexpanded.
 */
export function k8sEnv(app: AppPlan): K8sEnvVar[] {
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
  const env = instanceEnv(app.env, repEnv("0", ""), networking);
  return env.map(({ name, value }) => {
    const fieldPath = fromPod[name];
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
