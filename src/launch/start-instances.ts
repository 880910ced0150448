import { randomUUID } from "node:crypto";
import type { AppRuntime, CheckResult, CreatedApp } from "../container/app-runtime.js";
import { PortInUseError } from "../container/port-in-use-error.js";
import type { AppPlan } from "./app-plan.js";
import { appContainerSpec } from "./container-spec.js";
import { chooseHostPorts, hasOnlyFixedPorts, type FreePortFinder } from "./host-ports.js";
import { planInstance, type InstancePlan, type InstancePort } from "./instance-plan.js";
import { envStrings } from "../core/merge-env.js";
import type { LaunchEvent } from "./launch-events.js";
import { writeCellFiles, writeTrustedWhileStarting } from "./instance-credentials.js";
import { startupCheckArgv } from "./container-healthcheck.js";
import { probedFromHere, probeStartup } from "./startup-probe.js";
import type { SmallFilesTarWriter } from "../archive/ports.js";
import type { IdentityIssuer } from "../identity/instance-identity.js";

export interface StartDeps {
  runtime: AppRuntime;
  findPort: FreePortFinder;
  onEvent?: ((event: LaunchEvent) => void) | undefined;
  /** Instance guids; default newInstanceGuid. */
  newGuid?: (() => string) | undefined;
  /** Issues the instance identities (AppPlan.cell.identity). */
  identities?: IdentityIssuer | undefined;
  /** Writes the cell's files into the instances (needed when AppPlan.cell is set). */
  archives?: SmallFilesTarWriter | undefined;
  /** The network's gateway, when it was asked for already (AppRuntime.networkGateway). */
  gateway?: Promise<string | undefined> | undefined;
}

export interface StartedInstance {
  plan: InstancePlan;
  id: string;
  startedAtMs: number;
  /**
   * The start-up check (startupCheckArgv), started once the cell's files are in (when the app
   * is released), so that it is already trying while the app boots; it never rejects.
   */
  startupCheck?: Promise<CheckResult> | undefined;
}

/**
 * An actual LRP instance guid as the rep makes it: a random (v4) UUID cut to 28 characters, so
 * that it fits Garden's container handle limits; the container's hostname is this guid.
 */
export function newInstanceGuid(): string {
  return randomUUID().slice(0, 28);
}

/** Host ports restager picked can be taken before Docker binds them; pick again this often. */
const portAttempts = 5;

/**
 * Creates and starts every instance, in parallel. When one fails, those already started are
 * removed before the error is rethrown, so a failed launch leaves nothing behind.
 */
export async function startInstances(
  app: AppPlan,
  deps: StartDeps,
  signal?: AbortSignal,
): Promise<StartedInstance[]> {
  const gateway = deps.gateway ?? deps.runtime.networkGateway(app.network);
  const hostIp = (await gateway) ?? "127.0.0.1";
  const taken = new Set<number>();
  const indexes = Array.from({ length: app.instances }, (_, index) => index);
  const results = await Promise.allSettled(
    indexes.map((index) => startOne(app, { index, hostIp, taken, signal }, deps)),
  );
  const started = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) {
    await Promise.all(
      started.map((s) => deps.runtime.stopAndRemove(s.id, 0).catch(() => undefined)),
    );
    throw failure.reason;
  }
  return started;
}

interface Slot {
  index: number;
  hostIp: string;
  taken: Set<number>;
  signal?: AbortSignal | undefined;
}

async function startOne(app: AppPlan, slot: Slot, deps: StartDeps) {
  const { signal } = slot;
  const guid = (deps.newGuid ?? newInstanceGuid)();
  for (let attempt = 1; ; attempt++) {
    const ports = await chooseHostPorts(app, { ...slot, findPort: deps.findPort });
    const plan = planInstance(app, { index: slot.index, guid, hostIp: slot.hostIp, ports });
    deps.onEvent?.({ kind: "starting", index: slot.index, name: plan.name });
    try {
      let trustedIn = false;
      const cell = app.cell;
      const whileStarting = cell?.trusted
        ? async (created: CreatedApp) => {
            trustedIn = await writeTrustedWhileStarting(cell, created);
          }
        : undefined;
      const id = await deps.runtime.runApp(appContainerSpec(app, plan), signal, whileStarting);
      await afterStart(app, { id, guid, signal, withTrusted: !trustedIn }, deps);
      // Only now is the app released (start-script.ts waits for the credentials): the check's
      // start timeout counts from here, as on a cell, where both start together.
      const startupCheck = runStartupCheck(app, { id, runtime: deps.runtime, signal });
      return { plan, id, startedAtMs: Date.now(), startupCheck };
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= portAttempts) throw error;
      if (isUserChosen(app, ports, error.hostPort)) throw error;
      deps.onEvent?.({ kind: "port-retry", index: slot.index, hostPort: error.hostPort });
    }
  }
}

function runStartupCheck(
  app: AppPlan,
  started: { id: string; runtime: AppRuntime; signal?: AbortSignal | undefined },
): Promise<CheckResult> | undefined {
  const argv = startupCheckArgv(app.health, app.startTimeoutMs);
  if (!argv) return undefined;
  const { id, runtime, signal } = started;
  const inContainer = () => runtime.runCheck(id, { argv, user: app.user }, signal);
  const check = probedFromHere(app)
    ? probeStartup({ id, app }, runtime, signal).then((result) =>
        result === "unreachable" ? inContainer() : result,
      )
    : inContainer();
  return check.catch((error: unknown) => ({ exitCode: -1, output: String(error) }));
}

/** The cell's files, then diego-sshd; a failure removes the container before it rethrows. */
async function afterStart(
  app: AppPlan,
  started: { id: string; guid: string; signal?: AbortSignal | undefined; withTrusted: boolean },
  deps: StartDeps,
): Promise<void> {
  const { signal, ...instance } = started;
  try {
    if (app.cell) {
      const { runtime, identities, archives } = deps;
      if (!archives) throw new Error("the cell's files need a tar writer (StartDeps.archives)");
      const cellFiles = { ...instance, cell: app.cell };
      await writeCellFiles({ runtime, identities, archives }, cellFiles, signal);
    }
    if (app.sshd) await startSshd(app, instance.id, deps.runtime);
  } catch (error) {
    await deps.runtime.stopAndRemove(instance.id, 0).catch(() => undefined);
    throw error;
  }
}

/** Whether the clashing host port is one the user fixed with --publish (retrying cannot help). */
function isUserChosen(app: AppPlan, ports: InstancePort[], hostPort: number | undefined): boolean {
  if (hasOnlyFixedPorts(app)) return true;
  const clash = ports.find((port) => port.hostPort === hostPort);
  return app.published.some((p) => p.fixed && p.containerPort === clash?.containerPort);
}

/**
 * diego-sshd (--with-ssh) is started next to the app in the same container, with its recorded
 * args and env. Unlike Diego's codependent group, its exit does not crash the instance.
 */
async function startSshd(app: AppPlan, id: string, runtime: AppRuntime): Promise<void> {
  const sshd = app.sshd;
  if (!sshd) return;
  await runtime.execDetached(id, {
    argv: [sshd.path, ...sshd.args],
    env: envStrings(sshd.env),
    user: sshd.user,
    workingDir: app.workingDir,
  });
}
