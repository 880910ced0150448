/**
 * What restages leave on the engine and on disk, and why: staging and fill containers,
 * dependency volumes still being filled, run temp directories. Each is judged by its owner
 * (src/owner/run-owner.ts): a live owner's things are never touched, a dead owner's are
 * leftovers the next restage removes. Staging containers are bound to their restager
 * (create-options.ts) and normally vanish with it; what remains is what the engine could not
 * remove (it stopped or restarted under the run) or what an older restager left.
 *
 * Never in the list: launched app instances (no owner label; they are meant to outlive
 * `launch`), containers kept with --keep (shown, never removed), complete dependency volumes
 * (the cache).
 */
import { rm } from "node:fs/promises";
import type { DockerRuntime, FoundContainer } from "../../container/docker-runtime.js";
import { LabelKey } from "../../core/labels.js";
import { ownerState, parseOwner, type RunOwner } from "../../owner/run-owner.js";
import { DependencyLabel, dependencyKind } from "../../restage/dependency-volume-name.js";
import {
  defaultVolumeTiming,
  fillContainerKind,
  VolumeClaims,
  type VolumeState,
} from "../../restage/volume-claims.js";
import type { ProgressReporter } from "../progress.js";
import { listRunTempDirs } from "./run-temp-dir.js";

/** The label --keep puts on the staging container, so later runs leave it alone. */
export const keepLabel = "io.restager.keep";

export type LeftoverKind =
  "staging container" | "fill container" | "dependency volume" | "temp directory";

export interface Leftover {
  kind: LeftoverKind;
  /** Container name (with its short id), volume name or path. */
  name: string;
  app?: string | undefined;
  why: string;
  /** True when its owner is gone: the next restage removes it. */
  stale: boolean;
  remove(): Promise<void>;
}

export type LeftoverRuntime = Pick<
  DockerRuntime,
  "findContainers" | "attach" | "volumes" | "removeLabelled"
>;

const stoppedStates = new Set(["exited", "dead"]);
const runKinds = new Set(["staging", fillContainerKind]);

/** Everything restages own right now, containers first (they hold the volumes). */
export async function surveyLeftovers(runtime: LeftoverRuntime): Promise<Leftover[]> {
  const containers = await runtime.findContainers(LabelKey.managed, "true");
  const own = containers.filter((c) => runKinds.has(c.labels[LabelKey.kind] ?? ""));
  return [
    ...own.map((container) => containerLeftover(runtime, container)),
    ...(await volumeLeftovers(runtime)),
    ...(await tempDirLeftovers()),
  ];
}

function containerLeftover(runtime: LeftoverRuntime, container: FoundContainer): Leftover {
  const labels = container.labels;
  const fill = labels[LabelKey.kind] === fillContainerKind;
  return {
    kind: fill ? "fill container" : "staging container",
    name: `${container.name} (${container.id.slice(0, 12)})`,
    app: labels[LabelKey.appName] ?? labels[LabelKey.appGuid],
    ...judgeContainer(container),
    remove: () => runtime.attach(container.id).remove(),
  };
}

function judgeContainer(container: FoundContainer): { stale: boolean; why: string } {
  const owner = parseOwner(container.labels[LabelKey.owner]);
  const state = ownerState(owner);
  if (container.labels[keepLabel] === "true") {
    return {
      stale: false,
      why: `kept with --keep (${container.state}); remove it with docker rm -f`,
    };
  }
  if (state === "gone") return { stale: true, why: `${container.state}; ${goneOwner(owner)}` };
  if (stoppedStates.has(container.state)) {
    return {
      stale: true,
      why: `${container.state}: the engine stopped or restarted under its restage`,
    };
  }
  if (state === "alive") return { stale: false, why: liveOwner(owner, "in use") };
  const ageMs = Date.now() - container.createdAt.getTime();
  if (container.state === "created" && ageMs > defaultVolumeTiming.staleFillMs) {
    return { stale: true, why: "created over 10 minutes ago and never used since" };
  }
  return {
    stale: false,
    why: owner
      ? `${container.state}; its restage runs elsewhere (another machine or container)`
      : `${container.state}; no owner recorded (made by an older restager)`,
  };
}

async function volumeLeftovers(runtime: LeftoverRuntime): Promise<Leftover[]> {
  const volumes = await runtime.volumes.list(LabelKey.kind, dependencyKind);
  const filling = volumes.filter(
    (volume) => volume.labels[DependencyLabel.completes] === undefined,
  );
  const claims = new VolumeClaims(runtime, "survey", defaultVolumeTiming);
  const states = await claims.survey(
    filling.map((volume) => volume.name),
    new AbortController().signal,
  );
  return filling.flatMap((volume): Leftover[] => {
    const state = states.get(volume.name);
    if (!state || state.kind === "complete" || state.kind === "absent") return [];
    const owner = parseOwner(volume.labels[LabelKey.owner]);
    return [
      {
        kind: "dependency volume",
        name: volume.name,
        ...judgeVolume(state, owner),
        remove: async () => {
          await runtime.volumes.remove(volume.name);
        },
      },
    ];
  });
}

function judgeVolume(state: VolumeState, owner: RunOwner | undefined) {
  if (state.kind !== "abandoned") return { stale: false, why: liveOwner(owner, "being filled") };
  const why = ownerState(owner) === "gone" ? goneOwner(owner) : "nobody has filled it for a while";
  return { stale: true, why: `half-filled; ${why}` };
}

async function tempDirLeftovers(): Promise<Leftover[]> {
  const dirs = await listRunTempDirs();
  return dirs.map(({ path, owner }) => {
    const state = ownerState(owner);
    return {
      kind: "temp directory",
      name: path,
      stale: state === "gone",
      why: state === "gone" ? goneOwner(owner) : liveOwner(owner, "in use"),
      remove: () => rm(path, { recursive: true, force: true }),
    };
  });
}

function goneOwner(owner: RunOwner | undefined): string {
  return owner ? `its restage (pid ${owner.pid}) is gone` : "its restage is gone";
}

function liveOwner(owner: RunOwner | undefined, what: string): string {
  if (owner && ownerState(owner) === "alive")
    return `${what} by the restage running as pid ${owner.pid}`;
  return `${what} by a restage running elsewhere (another machine or container)`;
}

/**
 * Removes the leftovers of restages that are gone and says so in one line. Best effort: what
 * cannot be removed now stays for the next run (a debug line says why).
 */
export async function reapLeftovers(
  runtime: LeftoverRuntime,
  log: Pick<ProgressReporter, "info" | "debug">,
): Promise<Leftover[]> {
  const stale = (await surveyLeftovers(runtime)).filter((leftover) => leftover.stale);
  const removed: Leftover[] = [];
  for (const leftover of stale) {
    try {
      await leftover.remove();
      removed.push(leftover);
    } catch (error) {
      log.debug("leftover-not-removed", {
        name: leftover.name,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (removed.length > 0) {
    const items = removed.map((l) => `${l.kind} ${l.name}${l.app ? ` of ${l.app}` : ""}`);
    log.info(`Removed what restages that are gone left behind: ${items.join(", ")}`);
  }
  return removed;
}
