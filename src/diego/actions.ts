/**
 * Diego actions as typed values. `kind` is the BBS JSON key verbatim; every other field is the
 * camelCase form of its wire name (see diego-reference.md §3). Parsing from JSON lives in
 * parse-action.ts; nothing else sees raw action JSON.
 */
import type { Checksum } from "../core/checksums.js";
import type { EnvVar } from "../core/env-var.js";

export type Action =
  | DownloadAction
  | UploadAction
  | RunAction
  | EmitProgressAction
  | TimeoutAction
  | TryAction
  | SerialAction
  | ParallelAction
  | CodependentAction;

export type ActionKind = Action["kind"];

export const actionKinds: readonly ActionKind[] = [
  "download",
  "upload",
  "run",
  "emit_progress",
  "timeout",
  "try",
  "serial",
  "parallel",
  "codependent",
];

interface ActionBase {
  /** Tags the lines this action (and its children) emit; undefined = inherit. */
  logSource?: string | undefined;
}

export interface DownloadAction extends ActionBase {
  kind: "download";
  /** Display name for `Downloading X...` lines; "" prints nothing. */
  artifact: string;
  from: string;
  /** Directory the archive is extracted into; relative paths resolve against the user's home. */
  to: string;
  /** "" means: never cache. */
  cacheKey: string;
  user: string;
  checksum?: Checksum | undefined;
}

export interface UploadAction extends ActionBase {
  kind: "upload";
  artifact: string;
  /** A single regular file inside the container. */
  from: string;
  to: string;
  user: string;
}

export interface ResourceLimits {
  nofile?: number | undefined;
}

export interface RunAction extends ActionBase {
  kind: "run";
  path: string;
  args: string[];
  /** undefined = the user's home directory. */
  dir?: string | undefined;
  env: EnvVar[];
  resourceLimits: ResourceLimits;
  user: string;
  suppressLogOutput: boolean;
}

export interface EmitProgressAction extends ActionBase {
  kind: "emit_progress";
  action: Action;
  startMessage: string;
  successMessage: string;
  failureMessagePrefix: string;
}

export interface TimeoutAction extends ActionBase {
  kind: "timeout";
  action: Action;
  /** From `timeout_ms`, or `timeout` (ns) / 1e6 for older encodings. */
  timeoutMs: number;
}

export interface TryAction extends ActionBase {
  kind: "try";
  action: Action;
}

export interface SerialAction extends ActionBase {
  kind: "serial";
  actions: Action[];
}

export interface ParallelAction extends ActionBase {
  kind: "parallel";
  actions: Action[];
}

export interface CodependentAction extends ActionBase {
  kind: "codependent";
  actions: Action[];
}

/** Calls `visit` for `action` and every action nested in it, depth first, with its JSON path. */
export function walkActions(
  action: Action,
  visit: (action: Action, path: string) => void,
  path = "action",
): void {
  visit(action, path);
  switch (action.kind) {
    case "emit_progress":
    case "timeout":
    case "try":
      walkActions(action.action, visit, `${path}.${action.kind}.action`);
      return;
    case "serial":
    case "parallel":
    case "codependent":
      action.actions.forEach((child, i) =>
        walkActions(child, visit, `${path}.${action.kind}.actions[${i}]`),
      );
      return;
    case "download":
    case "upload":
    case "run":
      return;
  }
}

/** All actions of one kind in a tree, in depth-first order. */
export function findActions<K extends ActionKind>(
  action: Action,
  kind: K,
): Extract<Action, { kind: K }>[] {
  const found: Extract<Action, { kind: K }>[] = [];
  walkActions(action, (a) => {
    if (a.kind === kind) found.push(a as Extract<Action, { kind: K }>);
  });
  return found;
}
