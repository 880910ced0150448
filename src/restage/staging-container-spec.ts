import { gardenHostname } from "../core/garden-env.js";
import type { ContainerSpec } from "../container/container.js";
import { cpuSharesFor } from "../diego/cpu-shares.js";
import { buildLabels, LabelKey, type ContainerKind } from "../core/labels.js";
import { appIdentity } from "../diego/app-identity.js";
import { currentOwner, formatOwner } from "../owner/run-owner.js";
import type { RestageOptions } from "./restage-types.js";
import type { EnvVar } from "../core/env-var.js";

/**
 * The container Diego would create for a task: the task's container-level env (then the
 * executor's additions, `extraEnv`), the task guid as hostname (Garden names the host after the
 * handle), the image's own env only for a docker rootfs (a preloaded stack has none), memory
 * limit, CPU shares from `cpu_weight`, pids limit, restager's labels. `privileged` is
 * deliberately not mapped (Diego's meaning is "no user namespace", Docker's default already).
 */
export function stagingContainerSpec(
  options: RestageOptions,
  extraEnv: readonly EnvVar[] = [],
): ContainerSpec {
  const definition = options.request.definition;
  return {
    image: options.image,
    env: [...definition.env, ...extraEnv].map((variable) => `${variable.name}=${variable.value}`),
    imageEnv: !definition.rootfs.startsWith("preloaded"),
    hostname: options.request.taskGuid ? gardenHostname(options.request.taskGuid) : undefined,
    labels: stagingLabels(options, "staging"),
    memoryMb: definition.memoryMb > 0 ? definition.memoryMb : undefined,
    cpuShares: cpuSharesFor(definition.cpuWeight),
    maxPids: definition.maxPids > 0 ? definition.maxPids : undefined,
    network: options.network,
    // Never outlives this restager, unless kept on purpose for debugging.
    boundToOwner: !options.keepContainer,
  };
}

/**
 * The labels of the containers a restage creates: its run, its owner (this process), the app,
 * the caller's extras.
 */
export function stagingLabels(
  options: RestageOptions,
  kind: ContainerKind,
): Record<string, string> {
  const { request } = options;
  const app = appIdentity(request);
  return {
    ...buildLabels({
      runId: options.runId,
      kind,
      appGuid: app.guid,
      appName: app.name,
      taskGuid: request.taskGuid,
    }),
    [LabelKey.owner]: formatOwner(currentOwner()),
    ...options.labels,
  };
}
