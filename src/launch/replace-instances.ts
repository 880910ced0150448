/**
 * A running app whose LRP now names another droplet is replaced instance by instance, as a cell
 * replaces the instances of an updated process: each old instance is stopped and removed as soon
 * as the new instance with its index is running; an old instance whose replacement crashed keeps
 * running. Old instances beyond the new count go once every new instance runs.
 */
import type { AppRuntime, ListedAppContainer } from "../container/app-runtime.js";
import { LabelKey } from "../core/labels.js";
import { AppLabelKey } from "./app-labels.js";
import type { AppPlan } from "./app-plan.js";
import type { InstanceOutcome } from "./instance-outcome.js";

export interface OldInstance {
  id: string;
  name: string;
  index: number;
}

/** The app's running local instances (other launches) that hold another droplet. */
export async function outdatedInstances(
  app: AppPlan,
  runtime: Pick<AppRuntime, "listApps">,
  listed?: Promise<ListedAppContainer[]>,
): Promise<OldInstance[]> {
  const droplet = app.labels[AppLabelKey.dropletSha256];
  if (droplet === undefined) return [];
  const running = await (listed ?? runtime.listApps(appContainerLabels(app.app.guid)));
  return running
    .filter((c) => c.state === "running" && c.labels[LabelKey.run] !== app.runId)
    .filter((c) => c.labels[AppLabelKey.dropletSha256] !== droplet)
    .map(oldInstance);
}

/** The labels of an app's containers on the local engine (outdatedInstances' listing). */
export function appContainerLabels(appGuid: string): string[] {
  return [`${LabelKey.appGuid}=${appGuid}`, `${AppLabelKey.output}=docker`];
}

function oldInstance(container: ListedAppContainer): OldInstance {
  return {
    id: container.id,
    name: container.name,
    index: Number(container.labels[AppLabelKey.instanceIndex] ?? "0"),
  };
}

/** Removes old instances as their replacements settle; `finish` handles the rest and waits. */
export class InstanceReplacer {
  readonly #pending: Promise<void>[] = [];
  readonly #removed: OldInstance[] = [];

  constructor(
    private readonly old: readonly OldInstance[],
    private readonly runtime: Pick<AppRuntime, "stopAndRemove">,
    /** Diego's graceful shutdown before KILL. */
    private readonly timeoutS = 10,
  ) {}

  /** Call for each settled new instance. */
  settled(outcome: InstanceOutcome): void {
    if (outcome.state !== "running") return;
    for (const old of this.old.filter((o) => o.index === outcome.index)) this.#remove(old);
  }

  /** After every new instance settled: old ones beyond the new count go when all run. */
  async finish(outcomes: readonly InstanceOutcome[]): Promise<OldInstance[]> {
    if (outcomes.every((outcome) => outcome.state === "running")) {
      const count = outcomes.length;
      for (const old of this.old.filter((o) => o.index >= count)) this.#remove(old);
    }
    await Promise.all(this.#pending);
    return [...this.#removed];
  }

  #remove(old: OldInstance): void {
    if (this.#removed.includes(old)) return;
    this.#removed.push(old);
    this.#pending.push(this.runtime.stopAndRemove(old.id, this.timeoutS).catch(() => undefined));
  }
}
