import { ExitCode } from "../../errors.js";
import type { AppPlan } from "../../launch/app-plan.js";
import type { InstanceOutcome } from "../../launch/instance-outcome.js";
import type { SwarmOutcome } from "../../launch/launch-swarm.js";
import type { OldInstance } from "../../launch/replace-instances.js";

/** The instances of a launch on the local engine, detached or attached. */
export interface InstancesReport {
  plan: AppPlan;
  outcomes: InstanceOutcome[];
  /** The engine's host for URLs (AppRuntime.publishedHost). */
  host: string;
  elapsedMs: number;
  /** Masked in the log lines shown (apps print their credentials by accident). */
  secrets: readonly string[];
  /** --attach: stdout carries the logs, so the instance lines go to stderr. */
  attached?: boolean | undefined;
  /** Detached: older instances of the app this launch replaced. */
  replaced?: readonly OldInstance[] | undefined;
}

/** One instance's `docker run` line (`--dry-run`), secrets masked. */
export interface DryRunLine {
  index: number;
  line: string;
}

/** What `launch` did; `exitCode` is 0, or ExitCode.taskFailed when the app did not run. */
export type LaunchReport =
  | { kind: "instances"; exitCode: number; instances: InstancesReport }
  /** --attach: the instances were reported (an `attached` event) before their logs. */
  | { kind: "attached"; exitCode: number }
  | { kind: "dry-run"; exitCode: number; lines: DryRunLine[] }
  | { kind: "swarm"; exitCode: number; plan: AppPlan; outcome: SwarmOutcome; host: string }
  | { kind: "manifest"; exitCode: number; yaml?: string | undefined; after: ManifestMessage[] };

/** What is said after the YAML (or instead of it, with --out). */
export interface ManifestMessage {
  level: "info" | "warning";
  text: string;
}

/** 0 when every instance runs, 1 (the launch worked, the app did not) when any crashed. */
export function instancesExitCode(outcomes: readonly InstanceOutcome[]): number {
  return outcomes.every((o) => o.state === "running") ? ExitCode.ok : ExitCode.taskFailed;
}

/** 0 when every replica runs, else 1 (ExitCode.taskFailed). */
export function swarmExitCode(plan: AppPlan, outcome: SwarmOutcome): number {
  return outcome.running >= plan.instances ? ExitCode.ok : ExitCode.taskFailed;
}
