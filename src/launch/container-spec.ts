import type { AppContainerSpec } from "../container/app-runtime.js";
import type { AppPlan } from "./app-plan.js";
import type { InstancePlan } from "./instance-plan.js";
import { envStrings } from "../core/merge-env.js";
import { startEntrypoint } from "./start-script.js";
import { cellVolumes } from "./instance-credentials.js";

/**
 * The container of one instance: the start script as entrypoint, then the run action's path and
 * args as recorded (so the launcher finds the droplet's start command when the recorded one is
 * empty), as the run action's user in its home, with the LRP's limits and health check.
 */
export function appContainerSpec(app: AppPlan, instance: InstancePlan): AppContainerSpec {
  return {
    name: instance.name,
    image: app.image,
    entrypoint: startEntrypoint({
      sidecars: app.sidecars,
      awaitIdentity: app.cell?.identity !== undefined,
    }),
    cmd: [...app.command],
    user: app.user,
    workingDir: app.workingDir,
    env: envStrings(instance.env),
    labels: instance.labels,
    ports: instance.ports.map((port) => ({ ...port })),
    memoryMb: app.memoryMb,
    cpuShares: app.cpuShares,
    nofile: app.nofile,
    healthcheck: app.liveness,
    network: app.network,
    hostname: instance.guid,
    // Created without restarts: a crash while `launch` waits is reported (with its exit status
    // and last lines); once an instance is running, launch turns restarts on (launch-app.ts).
    restart: "no",
    boundToOwner: app.boundToOwner,
    volumes: cellVolumes(app.cell),
  };
}
