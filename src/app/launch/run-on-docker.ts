import type { DesiredLrp } from "../../diego/desired-lrp.js";
import { planApp, type AppPlan } from "../../launch/app-plan.js";
import { findFreePort } from "../../launch/host-ports.js";
import {
  appContainerLabels,
  InstanceReplacer,
  outdatedInstances,
} from "../../launch/replace-instances.js";
import { appIdentity } from "../../diego/app-identity.js";
import type { AppRuntime, ListedAppContainer } from "../../container/app-runtime.js";
import { launchSecrets } from "../../launch/launch-secrets.js";
import { launchDryRun } from "./launch-dry-run.js";
import { launchImage } from "./launch-image.js";
import { launchInstances } from "./launch-instances.js";
import { instancesExitCode, type LaunchReport } from "./launch-report.js";
import type { LaunchPorts, LaunchRequest } from "./launch-request.js";
import type { LaunchSettings } from "./launch-settings.js";
import type { CellFileWriters } from "../../launch/instance-credentials.js";
import { runAttached } from "./run-attached.js";

export interface DockerLaunch {
  lrp: DesiredLrp;
  request: LaunchRequest;
  settings: LaunchSettings;
}

/** `launch` on the local engine (target docker): dry run, detached, or attached. */
export async function runOnDocker(launch: DockerLaunch, ports: LaunchPorts): Promise<LaunchReport> {
  const { lrp, request, settings } = launch;
  // Asked for first: the identity issuer opens its CA in the background while the image is
  // found. The dry run's lines carry no identity.
  const asked = request.dryRun ? undefined : ports.cellCertificates();
  asked?.catch(() => undefined); // met by the await below when the image is found
  const early = request.dryRun ? undefined : earlyLookups(lrp, settings, ports.runtime());
  const image = await launchImage({ lrp, request }, ports);
  const certificates = await asked;
  const plan = planApp(lrp, {
    ...settings,
    image: image.ref,
    dropletSha256: image.dropletSha256,
    cell: certificates?.cell,
  });
  for (const notice of plan.notices) ports.onProgress({ kind: "note", text: notice });
  const secrets = launchSecrets(lrp, [...settings.envFile, ...settings.env]);
  if (request.dryRun) {
    return {
      kind: "dry-run",
      exitCode: 0,
      lines: await launchDryRun(plan, ports.runtime(), secrets),
    };
  }
  // The instances are created next: their first identity's key is made meanwhile.
  certificates?.identities?.prepare?.();
  const cellFiles = { identities: certificates?.identities, archives: certificates?.archives };
  if (request.attach) return runAttached({ plan, secrets, ...cellFiles }, ports);
  return runDetached({ plan, secrets, ...cellFiles, ...early }, ports);
}

/** What a launch asks the engine before its first create, beside the image lookup. */
interface EarlyLookups {
  gateway: Promise<string | undefined>;
  appContainers: Promise<ListedAppContainer[]>;
}

/**
 * The network's gateway and the app's containers, asked for at once while the image is looked
 * up rather than one after the other once it is found; a failure surfaces where each is used.
 */
function earlyLookups(
  lrp: DesiredLrp,
  settings: LaunchSettings,
  runtime: AppRuntime,
): EarlyLookups {
  const gateway = runtime.networkGateway(settings.network);
  const appContainers = runtime.listApps(appContainerLabels(appIdentity(lrp).guid));
  for (const lookup of [gateway, appContainers]) lookup.catch(() => undefined);
  return { gateway, appContainers };
}

/**
 * Starts the instances and returns once each is running or crashed, leaving the running ones
 * running. Older instances of the app (another droplet) are replaced index by index.
 */
async function runDetached(
  launch: { plan: AppPlan; secrets: readonly string[] } & Partial<CellFileWriters & EarlyLookups>,
  ports: LaunchPorts,
): Promise<LaunchReport> {
  const { plan, secrets, identities, archives, gateway, appContainers } = launch;
  const { onProgress } = ports;
  const runtime = ports.runtime();
  const interrupt = ports.interruption("removing the instances");
  const started = performance.now();
  // Every instance had its first start by the time the wait begins; restarts come only after.
  let firstStartsDoneMs: number | undefined;
  const outdated = await outdatedInstances(plan, runtime, appContainers);
  const replacer = new InstanceReplacer(outdated, runtime);
  const app = plan.app.name ?? plan.app.guid;
  try {
    const outcomes = await launchInstances(
      plan,
      {
        runtime,
        findPort: findFreePort,
        identities,
        archives,
        gateway,
        onEvent: (event) => {
          if (event.kind === "waiting") firstStartsDoneMs ??= Date.now();
          if (event.kind === "settled") replacer.settled(event.outcome);
          onProgress({ kind: "instances", app, event });
        },
      },
      interrupt.signal,
    );
    // Every instance has its identity now; from here on the keeper issues them.
    identities?.close?.();
    if (identities && outcomes.some((o) => o.state === "running")) {
      ports.keepIdentities(plan, firstStartsDoneMs ?? Date.now());
    }
    const replaced = await replacer.finish(outcomes);
    onProgress({ kind: "phase-end" });
    const elapsedMs = performance.now() - started;
    const host = runtime.publishedHost;
    const instances = { plan, outcomes, host, elapsedMs, secrets, replaced };
    return { kind: "instances", exitCode: instancesExitCode(outcomes), instances };
  } finally {
    onProgress({ kind: "phase-end" });
    interrupt.dispose();
  }
}
