import type { ContainerSpec } from "../container/container.js";
import { cpuSharesFor } from "../container/cpu-shares.js";
import { buildLabels } from "../container/labels.js";
import { appIdentity } from "../diego/app-identity.js";
import type { RestageOptions } from "./restage.js";

/**
 * The container Diego would create for a task: the task's container-level env, memory limit,
 * CPU shares from `cpu_weight`, pids limit, restager's labels. `privileged` is deliberately not
 * mapped (Diego's meaning is "no user namespace", Docker's default already).
 */
export function stagingContainerSpec(options: RestageOptions): ContainerSpec {
  const { request } = options;
  const definition = request.definition;
  const app = appIdentity(request);
  return {
    image: options.image,
    env: definition.env.map((variable) => `${variable.name}=${variable.value}`),
    labels: {
      ...buildLabels({
        runId: options.runId,
        kind: "staging",
        appGuid: app.guid,
        appName: app.name,
        taskGuid: request.taskGuid,
      }),
      ...options.labels,
    },
    memoryMb: definition.memoryMb > 0 ? definition.memoryMb : undefined,
    cpuShares: cpuSharesFor(definition.cpuWeight),
    maxPids: definition.maxPids > 0 ? definition.maxPids : undefined,
    network: options.network,
  };
}
