/**
 * What `restage` does once the task ended: the completion callback (`--callback`), the image
 * (unless `--no-image`, only after success) and its push, then the report. A callback failure
 * is raised last, so the image and the report still happen.
 */
import type { AppIdentity } from "../../diego/app-identity.js";
import type { TaskRequest } from "../../diego/task-definition.js";
import { CancelledError } from "../../errors.js";
import { findDroplet } from "../../restage/kept-artifacts.js";
import type { Downloader } from "../../http/ports.js";
import type { TlsSettings } from "../../http/tls-settings.js";
import { fetchLifecycle } from "../../image/lifecycle-source.js";
import type { RestageOutcome } from "../../restage/restage.js";
import type { RestageArgs } from "../commands/restage.js";
import type { Output } from "../output.js";
import type { StatusLine } from "../status-line.js";
import { postRestageCallback } from "./post-callback.js";
import type { OutputTail } from "./output-tail.js";
import { reportRestage } from "./report-restage.js";
import { printImage } from "./report-image.js";
import { runImage, type ImageRun } from "./run-image.js";

export interface AfterStaging {
  outcome: RestageOutcome;
  request: TaskRequest;
  /** The stack image the task ran in. */
  stackImage: string;
  app: AppIdentity;
  tail: OutputTail;
  elapsedMs: number;
  args: RestageArgs;
  password?: string | undefined;
  downloader: Downloader;
  /** For the callback: CC's internal API wants the client certificate. */
  tls: TlsSettings;
  status: StatusLine;
  signal: AbortSignal;
}

/** Returns the exit code; throws the image's or the callback's error after reporting. */
export async function afterStaging(output: Output, after: AfterStaging): Promise<number> {
  const { outcome, args } = after;
  let callbackError: Error | undefined;
  if (args.callback === true) {
    callbackError = await postRestageCallback(output, after).then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
  }
  let image: ImageRun | undefined;
  try {
    if (!outcome.failed && args.image !== false) image = await buildStagedImage(output, after);
  } catch (error) {
    after.status.stop();
    reportRestage(output, after);
    if (!(error instanceof CancelledError)) printKeptDroplet(output, after);
    throw error;
  }
  const code = reportRestage(output, { ...after, image });
  if (image) printImage(output, image);
  if (callbackError !== undefined) throw callbackError;
  return code;
}

/** The image failed: where the droplet is, and how to build the image from it later. */
function printKeptDroplet(output: Output, { outcome, stackImage }: AfterStaging): void {
  const path = stagedDroplet(outcome)?.path;
  if (!path) return;
  output.error(
    `The droplet is kept at ${path}; build the image from it later with 'restager image --droplet ${path} --lifecycle <buildpack_app_lifecycle.tgz> --stack ${stackImage}', or restage again`,
  );
}

function stagedDroplet(outcome: RestageOutcome) {
  return findDroplet(outcome.artifacts);
}

async function buildStagedImage(
  output: Output,
  after: AfterStaging,
): Promise<ImageRun | undefined> {
  const { outcome, request, app } = after;
  const droplet = stagedDroplet(outcome);
  if (!droplet?.path) {
    output.warn("The task produced no droplet, so no image was built (--no-image skips this)");
    return undefined;
  }
  const definition = request.definition;
  const lifecycle = await fetchLifecycle(definition, after.downloader, after.signal);
  try {
    const lang = definition.env.find((variable) => variable.name === "LANG");
    const input = {
      dropletPath: droplet.path,
      lifecyclePath: lifecycle.path,
      stackImage: after.stackImage,
      stack: /^preloaded(?:\+layer)?:([^?]+)/.exec(definition.rootfs)?.[1],
      appGuid: app.guid,
      appName: app.name,
      taskGuid: request.taskGuid,
      result: outcome.result?.json,
      env: lang ? [`LANG=${lang.value}`] : [],
    };
    const context = {
      output,
      status: after.status,
      password: after.password,
      cacheDir: after.args.cacheDir,
      signal: after.signal,
    };
    return await runImage(input, after.args, context);
  } finally {
    await lifecycle.release();
  }
}
