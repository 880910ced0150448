import type { DownloadAction, ResourceLimits, RunAction, UploadAction } from "../actions.js";
import type { JsonReader } from "./json-reader.js";
import type { ParseContext } from "./parse-context.js";
import { readChecksum } from "./read-checksum.js";
import { readEnv } from "./read-env.js";

/** `download` (docs/diego.md §3.2): `from`, `to` required; `user` defaulted for receptor-era JSON. */
export function parseDownload(
  body: JsonReader,
  ctx: ParseContext,
  logSource: string | undefined,
): DownloadAction {
  return {
    kind: "download",
    artifact: body.string("artifact") ?? "",
    from: body.requiredString("from"),
    to: body.requiredString("to"),
    cacheKey: body.string("cache_key") ?? "",
    user: transferUser(body, ctx),
    checksum: readChecksum(body, ctx),
    logSource,
  };
}

/** `upload` (§3.3): `from` (a file in the container) and `to` (a URL) required. */
export function parseUpload(
  body: JsonReader,
  ctx: ParseContext,
  logSource: string | undefined,
): UploadAction {
  return {
    kind: "upload",
    artifact: body.string("artifact") ?? "",
    from: body.requiredString("from"),
    to: body.requiredString("to"),
    user: transferUser(body, ctx),
    logSource,
  };
}

/**
 * Receptor-era downloads and uploads carry no `user` (added 2015-07); the executor then used the
 * container's default user, which BBS later named `legacy_download_user` (vcap).
 */
function transferUser(body: JsonReader, ctx: ParseContext): string {
  const user = body.string("user");
  if (user) return user;
  ctx.eraHints.add("receptor");
  ctx.log.note(
    body.path,
    `no user (receptor-era encoding); downloads and uploads run as "${ctx.legacyDownloadUser}"`,
  );
  return ctx.legacyDownloadUser;
}

/** `run` (§3.4): `path` required; null `args`/`env`/`resource_limits` read as empty. */
export function parseRun(
  body: JsonReader,
  ctx: ParseContext,
  logSource: string | undefined,
): RunAction {
  const action: RunAction = {
    kind: "run",
    path: body.requiredString("path"),
    args: body.strings("args"),
    dir: body.string("dir") || undefined,
    env: readEnv(body, "env"),
    resourceLimits: readResourceLimits(body),
    user: runUser(body, ctx),
    suppressLogOutput: body.boolean("suppress_log_output") ?? false,
    logSource,
  };
  readVolumeMountedFiles(body, ctx);
  return action;
}

function readResourceLimits(body: JsonReader): ResourceLimits {
  const limits = body.object("resource_limits");
  if (!limits) return {};
  // nproc was deprecated and is ignored by every executor that knew it.
  limits.ignore("nproc");
  const nofile = limits.number("nofile", { min: 0 });
  limits.finish();
  return nofile === undefined ? {} : { nofile };
}

/**
 * Until 2015-06 run actions had `privileged` instead of `user`: privileged processes ran as root,
 * the others as the rootfs's unprivileged user, vcap.
 */
function runUser(body: JsonReader, ctx: ParseContext): string {
  const user = body.string("user");
  const privileged = body.boolean("privileged");
  if (privileged !== undefined) ctx.eraHints.add("receptor");
  if (user) return user;
  ctx.eraHints.add("receptor");
  const chosen = privileged ? "root" : "vcap";
  ctx.log.note(
    body.path,
    `no user (receptor-era encoding); this run action runs as "${chosen}" because it is ${privileged ? "" : "not "}privileged`,
  );
  return chosen;
}

/** Files the executor writes into the container (2024+); not reproduced, so non-empty lists warn. */
function readVolumeMountedFiles(body: JsonReader, ctx: ParseContext): void {
  if (Object.hasOwn(body.fields, "volume_mounted_files")) ctx.eraHints.add("cc");
  const files = body.array("volume_mounted_files");
  if (files && files.length > 0) {
    ctx.log.warn(
      body.pathOf("volume_mounted_files"),
      "not written into the replay container; ignored",
    );
  }
}
