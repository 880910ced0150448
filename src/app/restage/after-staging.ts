/**
 * What `restage` does once the task ended: the completion callback (`--callback`), the image
 * (unless `--no-image`, only after success) and its push. A failure of either is handed back,
 * not thrown: the caller reports the staging first, then raises it (the image's first, else the
 * callback's) so that it is reported once.
 */
import type { AppIdentity } from "../../diego/app-identity.js";
import type { TaskRequest } from "../../diego/task-definition.js";
import { CancelledError } from "../../errors.js";
import type { DownloadedFile, Downloader } from "../../http/ports.js";
import type { TlsSettings } from "../../http/tls-settings.js";
import { fetchLifecycle } from "../../image/lifecycle-source.js";
import { findDroplet } from "../../restage/kept-artifacts.js";
import type { RestageOutcome } from "../../restage/restage-types.js";
import {
  buildAndPush,
  nameBuiltAhead,
  type ImageContext,
  type ImagePublishing,
  type ImageRun,
} from "../image/build-and-push.js";
import type { PlannedDroplet } from "./droplet-ahead.js";
import { stagedImageInput } from "./staged-image-input.js";
import { postRestageCallback, type CallbackSent } from "./post-callback.js";
import type { RestageEvent } from "./restage-events.js";

export interface AfterStaging {
  outcome: RestageOutcome;
  request: TaskRequest;
  /** The stack image the task ran in. */
  stackImage: string;
  app: AppIdentity;
  callback: boolean;
  buildImage: boolean;
  publishing: ImagePublishing;
  resolve: readonly string[];
  /** For the callback: CC's internal API wants the client certificate. */
  tls: TlsSettings;
  downloader: Downloader;
  image: ImageContext;
  /** The droplet's layer planned while it was uploaded (see DropletAhead), by kept path. */
  plannedDroplet?: PlannedDroplet | undefined;
  /** The task's lifecycle, fetched while the droplet was uploaded (released here too). */
  lifecycle?: Promise<DownloadedFile> | undefined;
  onEvent: (event: RestageEvent) => void;
}

export interface AfterStagingResult {
  image?: ImageRun | undefined;
  /** To raise once the staging is reported: the image's error, else the callback's. */
  error?: Error | undefined;
  /** The image failed (not cancelled): the kept droplet to build it from later. */
  keptDroplet?: string | undefined;
}

export async function afterStaging(after: AfterStaging): Promise<AfterStagingResult> {
  const { outcome } = after;
  let callbackError: Error | undefined;
  if (after.callback) {
    const { request, resolve, tls } = after;
    const signal = after.image.signal;
    await postRestageCallback({ outcome, request, resolve, tls, signal }).then(
      (sent) => tellCallback(after, sent),
      (error: unknown) => (callbackError = asError(error)),
    );
  }
  try {
    if (outcome.failed || !after.buildImage) return { error: callbackError };
    return { image: await buildStagedImage(after), error: callbackError };
  } catch (error) {
    after.image.progress.idle();
    const droplet = findDroplet(outcome.artifacts)?.path;
    return {
      error: asError(error),
      keptDroplet: error instanceof CancelledError ? undefined : droplet,
    };
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function tellCallback(after: AfterStaging, sent: CallbackSent | undefined): void {
  if (sent) after.onEvent({ type: "callback-sent", ...sent });
  else after.image.progress.warn("The task has no completion_callback_url: no callback was sent");
}

async function buildStagedImage(after: AfterStaging): Promise<ImageRun | undefined> {
  const { outcome, request, app } = after;
  const droplet = findDroplet(outcome.artifacts);
  if (!droplet?.path) {
    after.image.progress.warn(
      "The task produced no droplet, so no image was built (--no-image skips this)",
    );
    return undefined;
  }
  const definition = request.definition;
  const lifecycle = await (after.lifecycle ??
    fetchLifecycle(definition, after.downloader, after.image.signal));
  try {
    const planned = after.plannedDroplet?.path === droplet.path ? after.plannedDroplet : undefined;
    // Built (untagged) while the last uploads were sent, from the same result: only named now.
    const ahead = await planned?.ahead;
    if (ahead !== undefined && ahead.resultText === outcome.result?.text) {
      return await nameBuiltAhead(ahead.built, after.publishing, after.image);
    }
    const input = {
      ...stagedImageInput({
        request,
        app,
        droplet: { ...droplet, path: droplet.path },
        lifecyclePath: lifecycle.path,
        stackImage: after.stackImage,
        result: outcome.result?.json,
      }),
      // A plan an image built ahead took is spent (its spool released).
      plannedDroplet: planned?.ahead === undefined ? planned?.layer : undefined,
      // Loaded into the engine while it was uploaded: the image only references the layer.
      carrier: planned?.carrier,
    };
    return await buildAndPush(input, after.publishing, after.image);
  } finally {
    await lifecycle.release();
  }
}
