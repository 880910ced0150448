/** Raw BBS action JSON constructors used by the task builders (docs/diego.md §3). */
import { FILE_DESCRIPTORS } from "./app-env.js";

export type ActionJson = Record<string, unknown>;

export function download(fields: {
  artifact: string;
  from: string;
  to: string;
  sha256?: string | undefined;
}): ActionJson {
  const { artifact, from, to, sha256 } = fields;
  const checksum =
    sha256 === undefined ? {} : { checksum_algorithm: "sha256", checksum_value: sha256 };
  return { download: { artifact, from, to, cache_key: "", user: "vcap", ...checksum } };
}

export function upload(artifact: string, from: string, to: string): ActionJson {
  return { upload: { artifact, from, to, user: "vcap" } };
}

/** A vcap `run` with the staging/app file-descriptor limit; `fields` adds (env, log_source...) or overrides. */
export function run(path: string, args: string[], fields: ActionJson = {}): ActionJson {
  const { env, ...rest } = fields;
  return {
    run: {
      path,
      args,
      ...(env === undefined ? {} : { env }),
      resource_limits: { nofile: FILE_DESCRIPTORS },
      user: "vcap",
      suppress_log_output: false,
      ...rest,
    },
  };
}

export interface ProgressMessages {
  start_message: string;
  success_message: string;
  failure_message_prefix: string;
}

export const STAGING_PROGRESS: ProgressMessages = {
  start_message: "Staging...",
  success_message: "Staging complete",
  failure_message_prefix: "Staging failed",
};

export const UPLOAD_PROGRESS: ProgressMessages = {
  start_message: "Uploading droplet, build artifacts cache...",
  success_message: "Uploading complete",
  failure_message_prefix: "Uploading failed",
};

export function emitProgress(action: ActionJson, messages: ProgressMessages): ActionJson {
  return { emit_progress: { action, ...messages } };
}

export function serial(...actions: ActionJson[]): ActionJson {
  return { serial: { actions } };
}

export function parallel(...actions: ActionJson[]): ActionJson {
  return { parallel: { actions } };
}

export function codependent(...actions: ActionJson[]): ActionJson {
  return { codependent: { actions } };
}

export function tryAction(action: ActionJson): ActionJson {
  return { try: { action } };
}
