/**
 * Typed Diego actions for step and tree tests: the pieces of a staging task (app package
 * download, builder run, uploads), each as a vcap action like Cloud Controller's.
 */
import type {
  Action,
  DownloadAction,
  EmitProgressAction,
  RunAction,
  UploadAction,
} from "../../src/diego/actions.js";

/** `/tmp/lifecycle/builder` as vcap, no args or env. */
export const builderRun: RunAction = {
  kind: "run",
  path: "/tmp/lifecycle/builder",
  args: [],
  env: [],
  resourceLimits: {},
  user: "vcap",
  suppressLogOutput: false,
};

/** The app package streamed into `/tmp/app`, never cached. */
export const appPackageDownload: DownloadAction = {
  kind: "download",
  artifact: "app package",
  from: "http://bits/app",
  to: "/tmp/app",
  cacheKey: "",
  user: "vcap",
};

/** An upload of `/tmp/<artifact>` to `http://up/<artifact>`; `fields` overrides. */
export function uploadAction(artifact: string, fields: Partial<UploadAction> = {}): UploadAction {
  return {
    kind: "upload",
    artifact,
    from: `/tmp/${artifact}`,
    to: `http://up/${artifact}`,
    user: "vcap",
    ...fields,
  };
}

/** `action` wrapped in emit_progress; `messages` sets the start, success and failure texts. */
export function emitProgress(
  action: Action,
  messages: Partial<Omit<EmitProgressAction, "kind" | "action">> = {},
): EmitProgressAction {
  return {
    kind: "emit_progress",
    action,
    startMessage: "",
    successMessage: "",
    failureMessagePrefix: "",
    ...messages,
  };
}
