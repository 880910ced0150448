/** The staging (or any) task: BBS TaskDefinition, receptor TaskCreateRequest, or cfdot Task. */
import type { Action } from "./actions.js";
import type { ContainerSpec } from "./common.js";

export type Era =
  /** receptor TaskCreateRequest / DesiredLRPCreateRequest (2014–2015): `timeout` ns, no `user`. */
  | "receptor"
  /** BBS models logged by the patched stager/nsync (2015–2018). */
  | "bbs"
  /** Cloud Controller–built BBS models (cfdot, 2016+): `timeout_ms`, checksums, image layers. */
  | "cc";

export interface TaskDefinition extends ContainerSpec {
  action: Action;
  /** Actions the cell runs before `action`: EXCLUSIVE image layers (docs/diego.md §2.5), else undefined. */
  setup?: Action | undefined;
  resultFile: string;
  completionCallbackUrl: string;
}

/** A task as requested: the definition plus what the envelope (cfdot Task, receptor) adds. */
export interface TaskRequest {
  kind: "task";
  era: Era;
  /** Staging guid when known (receptor `task_guid`, cfdot `task_guid`, lager `staging-guid`). */
  taskGuid?: string | undefined;
  domain?: string | undefined;
  definition: TaskDefinition;
  /** cfdot Task state fields, when the input was a cfdot Task. */
  state?: TaskState | undefined;
}

export interface TaskState {
  state: string;
  createdAtNs?: number | undefined;
  updatedAtNs?: number | undefined;
  cellId?: string | undefined;
  result?: string | undefined;
  failed?: boolean | undefined;
  failureReason?: string | undefined;
}
