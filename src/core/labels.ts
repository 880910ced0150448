/**
 * Labels restager puts on every container it creates, so cleanup and leak checks are one
 * label filter (`docker ps -a --filter label=io.restager.run=<id>`).
 */
export const LabelKey = {
  managed: "io.restager.managed",
  run: "io.restager.run",
  kind: "io.restager.kind",
  appGuid: "io.restager.app-guid",
  appName: "io.restager.app-name",
  taskGuid: "io.restager.task-guid",
  /**
   * The restager process a staging run's containers and volumes belong to
   * (src/owner/run-owner.ts); launched app instances have none, as they outlive `launch`.
   */
  owner: "io.restager.owner",
} as const;

/** `dependency-fill`: the short-lived container that fills cached-dependency volumes. */
export type ContainerKind = "staging" | "app" | "dependency-fill";

export interface LabelInput {
  /** Identifies one restager invocation; every container of that run carries it. */
  runId: string;
  kind: ContainerKind;
  appGuid?: string | undefined;
  appName?: string | undefined;
  taskGuid?: string | undefined;
}

/** Builds the label set of one container; absent optional values are left out, not emptied. */
export function buildLabels(input: LabelInput): Record<string, string> {
  const labels: Record<string, string> = {
    [LabelKey.managed]: "true",
    [LabelKey.run]: input.runId,
    [LabelKey.kind]: input.kind,
  };
  if (input.appGuid !== undefined) labels[LabelKey.appGuid] = input.appGuid;
  if (input.appName !== undefined) labels[LabelKey.appName] = input.appName;
  if (input.taskGuid !== undefined) labels[LabelKey.taskGuid] = input.taskGuid;
  return labels;
}
