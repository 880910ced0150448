import { findActions, type RunAction } from "../diego/actions.js";
import type { DesiredLrp } from "../diego/desired-lrp.js";
import { InvalidInputError } from "../errors.js";

/** The members of an LRP's main action, as `launch` treats them. */
export interface LrpProcesses {
  /** The app process: the first run action that is not diego-sshd (the launcher, as a rule). */
  main: RunAction;
  /** The diego-sshd member of the codependent group, when SSH was allowed. */
  sshd?: RunAction | undefined;
  /** Further members (sidecars): run next to the app (sidecar-processes.ts). */
  sidecars: RunAction[];
}

/** True for the run action of Diego's SSH daemon (`/tmp/lifecycle/diego-sshd`). */
export function isSshd(run: RunAction): boolean {
  return /(^|\/)diego-sshd$/.test(run.path);
}

/**
 * Splits the LRP's `action` (a codependent of launcher, diego-sshd and sidecars, or a single
 * run) into its processes (docs/diego.md §3.10, §4.4).
 */
export function lrpProcesses(lrp: DesiredLrp): LrpProcesses {
  const runs = findActions(lrp.action, "run");
  const main = runs.find((run) => !isSshd(run));
  if (!main) {
    throw new InvalidInputError("The desired LRP has no run action to start", [
      { path: "action", message: "expected a run action (the launcher) in the main action" },
    ]);
  }
  const sshd = runs.find(isSshd);
  const sidecars = runs.filter((run) => run !== main && run !== sshd);
  return { main, sshd, sidecars };
}
