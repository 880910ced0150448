import type { AppRuntime } from "../../container/app-runtime.js";
import { DockerApps } from "../../container/docker-apps.js";
import type { DesiredLrp } from "../../diego/desired-lrp.js";
import { planApp, type AppPlan } from "../../launch/app-plan.js";
import { findFreePort } from "../../launch/host-ports.js";
import { launchApp } from "../../launch/launch-app.js";
import { InstanceReplacer, outdatedInstances } from "../../launch/replace-instances.js";
import { launchSecrets } from "../../launch/launch-secrets.js";
import type { LaunchOptions } from "../../launch/launch-options.js";
import type { Output } from "../output.js";
import { interruptSignal } from "../restage/interrupt-signal.js";
import { launchImage } from "./launch-image.js";
import type { LaunchArgs } from "./launch-args.js";
import { launchStatus } from "./launch-status.js";
import { printLaunchDryRun } from "./print-launch-dry-run.js";
import { reportLaunch } from "./report-launch.js";
import { runAttached } from "./run-attached.js";
import { cellSetup, spawnIdentityKeeper, type CellSetup } from "./cell-certificates.js";

/** `launch` on the local engine (--output docker): dry run, detached, or attached. */
export async function runLaunch(
  output: Output,
  lrp: DesiredLrp,
  settings: Omit<LaunchOptions, "image">,
  args: LaunchArgs,
): Promise<number> {
  const runtime = new DockerApps({ env: output.env });
  const image = await launchImage(output, lrp, { runtime, args });
  // The dry run's lines run no keeper: they carry no identity.
  const setup = args.dryRun ? undefined : await cellSetup(output, args);
  const plan = planApp(lrp, {
    ...settings,
    image: image.ref,
    dropletSha256: image.dropletSha256,
    cell: setup?.cell,
  });
  for (const notice of plan.notices) output.info(`Note: ${notice}`);
  const secrets = launchSecrets(lrp, [...settings.envFile, ...settings.env]);
  if (args.dryRun) {
    await printLaunchDryRun(output, plan, runtime, secrets);
    return 0;
  }
  if (args.attach) return runAttached(output, { plan, runtime, secrets, ca: setup?.ca });
  return runDetached(output, plan, { runtime, secrets, setup });
}

async function runDetached(
  output: Output,
  plan: AppPlan,
  {
    runtime,
    secrets,
    setup,
  }: { runtime: AppRuntime; secrets: readonly string[]; setup?: CellSetup | undefined },
): Promise<number> {
  const status = await output.statusLine();
  const interrupt = interruptSignal((signal) =>
    status.above(() => output.info(`Received ${signal}: removing the instances...`)),
  );
  const started = performance.now();
  const replacer = new InstanceReplacer(await outdatedInstances(plan, runtime), runtime);
  const showStatus = launchStatus(status, plan.app.name ?? plan.app.guid);
  try {
    const outcomes = await launchApp(
      plan,
      {
        runtime,
        findPort: findFreePort,
        ca: setup?.ca,
        onEvent: (event) => {
          if (event.kind === "settled") replacer.settled(event.outcome);
          showStatus(event);
        },
      },
      interrupt.signal,
    );
    if (setup && outcomes.some((o) => o.state === "running")) {
      spawnIdentityKeeper(output, plan, setup);
    }
    const replaced = await replacer.finish(outcomes);
    status.stop();
    for (const old of replaced) {
      output.info(`Replaced instance #${old.index} (${old.name}) holding an older droplet`);
    }
    const elapsedMs = performance.now() - started;
    return reportLaunch(output, {
      plan,
      outcomes,
      host: runtime.publishedHost,
      elapsedMs,
      secrets,
    });
  } finally {
    status.stop();
    interrupt.dispose();
  }
}
