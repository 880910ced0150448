/**
 * The `restage` use case: sweeps what gone restages left, runs the staging task as a Diego
 * cell would (src/restage/restage.ts), then the callback, the image and its push
 * (restage/after-staging.ts). All its policy lives here (where artifacts are kept, the grace
 * periods, the interrupted run's message); the CLI wires the adapters and prints the report.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Archives } from "../archive/ports.js";
import type { ContainerRuntime } from "../container/container.js";
import type { PlanCache } from "../image/plan-cache.js";
import type { ImageStore } from "../container/image-store.js";
import { appIdentity, type AppIdentity } from "../diego/app-identity.js";
import type { TaskRequest } from "../diego/task-definition.js";
import type { TaskLog } from "../diego/task-log.js";
import { CancelledError } from "../errors.js";
import type { Downloader, Uploader } from "../http/ports.js";
import type { TlsSettings } from "../http/tls-settings.js";
import type { IdentityIssuer } from "../identity/instance-identity.js";
import { findDroplet, type KeptArtifact } from "../restage/kept-artifacts.js";
import { restage } from "../restage/restage.js";
import type { RestageOutcome } from "../restage/restage-types.js";
import type { CertificateFile } from "../restage/system-certificates.js";
import type { ImagePublishing, ImageRun } from "./image/build-and-push.js";
import type { ProgressReporter } from "./progress.js";
import { afterStaging, type AfterStagingResult } from "./restage/after-staging.js";
import { DropletAhead } from "./restage/droplet-ahead.js";
import { keepLabel, reapLeftovers, type LeftoverRuntime } from "./restage/leftovers.js";
import { reapCarriers } from "./restage/carrier-leftovers.js";
import { reapPendingTags } from "./restage/pending-tag.js";
import { DeferredCleanup } from "./restage/deferred-cleanup.js";
import { OutputTail } from "./restage/output-tail.js";
import type { RestageEvent } from "./restage/restage-events.js";
import { enterRunTempDir } from "./restage/run-temp-dir.js";
import { trustedCertificates } from "./restage/trusted-certificates.js";

export type { RestageEvent } from "./restage/restage-events.js";
export { restageTarget } from "./restage/restage-target.js";

/** Diego's graceful shutdown interval before KILL, and the wait after KILL. */
const settings = { gracePeriodMs: 10_000, exitTimeoutMs: 1_000 };

/** How many of the task's last output lines a report may show. */
const tailLines = 40;

export interface RestageRunOptions {
  request: TaskRequest;
  /** The stack image the task runs in (restageTarget()). */
  stackImage: string;
  /** Docker network for the staging container. */
  network?: string | undefined;
  /** `--keep`: leave the staging container for debugging. */
  keepContainer: boolean;
  /** false (`--no-upload`): the artifacts are kept on disk instead. */
  upload: boolean;
  /** Where artifacts are kept; default ./restager-out/<app>. */
  outputDir?: string | undefined;
  /** false (`--no-image`): no image after staging. */
  buildImage: boolean;
  /** `--callback`: POST the task completion callback as BBS does. */
  callback: boolean;
  /** `--resolve` values, for the callback (the HTTP adapters have their own). */
  resolve: readonly string[];
  tls: TlsSettings;
  /** `--trusted-certs DIR`; default the host's CA certificates. */
  trustedCertsDir?: string | undefined;
  publishing: ImagePublishing;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export interface RestagePorts {
  runtime: ContainerRuntime & LeftoverRuntime;
  downloader: Downloader;
  uploader: Uploader;
  archives: Archives;
  images: ImageStore;
  /** Remembers image plans of unchanged files (src/image/plan-cache.ts). */
  plans?: PlanCache | undefined;
  /** Issues the staging container's instance identity; undefined: none. */
  identities?: IdentityIssuer | undefined;
  /** Where the task's own output goes (`[STG] OUT ...`). */
  taskLog: TaskLog;
  progress: ProgressReporter;
  onEvent?: ((event: RestageEvent) => void) | undefined;
}

export interface RestageReport {
  outcome: RestageOutcome;
  /** The request as run (its memory limit names what an out-of-memory kill hit). */
  request: TaskRequest;
  app: AppIdentity;
  stackImage: string;
  /** The task's last output lines, all sources (`[STG] line`), for a failure report. */
  outputTail: string[];
  elapsedMs: number;
  image?: ImageRun | undefined;
  /** To raise once the report is printed: the image's error, else the callback's. */
  error?: Error | undefined;
  /** The image failed: where the droplet is kept, to build the image from it later. */
  keptDroplet?: string | undefined;
}

/** Runs the staging task, then the callback and the image; rejects only when staging does. */
export async function runRestage(
  options: RestageRunOptions,
  ports: RestagePorts,
): Promise<RestageReport> {
  await reapLeftoversQuietly(ports);
  // Not waited for before staging: engine requests that only old runs' leftovers need.
  const imageLeftovers = Promise.all([
    reapCarriers(ports.images),
    reapPendingTags(ports.images),
  ]).catch((error: unknown) => {
    ports.progress.debug("image-leftovers-not-removed", {
      error: error instanceof Error ? error.message : String(error),
    });
  });
  // TMPDIR of this process: os.tmpdir() reads it on every call.
  const temp = await enterRunTempDir();
  ports.onEvent?.({ type: "temp-dir", path: temp.path });
  // The staging container goes away while the callback is sent and the image is built (a rep
  // completes the task, then deletes the container); the run ends only once it is gone.
  const cleanup = new DeferredCleanup();
  let report: RestageReport | undefined;
  try {
    report = await stageAndFinish(options, ports, cleanup);
  } finally {
    try {
      await cleanup.settle(report !== undefined);
    } finally {
      await imageLeftovers;
      await temp.release();
    }
  }
  return report;
}

async function stageAndFinish(
  options: RestageRunOptions,
  ports: RestagePorts,
  cleanup: DeferredCleanup,
): Promise<RestageReport> {
  const trusted = await trustedCertificates(options.trustedCertsDir, options.env);
  const tail = new OutputTail(tailLines);
  const started = performance.now();
  const ahead = new DropletAhead(options.buildImage, {
    ...{ request: options.request, downloader: ports.downloader },
    ...{ images: ports.images, stackImage: options.stackImage },
    app: appIdentity(options.request),
    ...{ plans: ports.plans, env: options.env, signal: options.signal },
  });
  try {
    const outcome = await stage(options, { ports, tail, trusted, cleanup, ahead });
    ports.progress.idle();
    const elapsedMs = performance.now() - started;
    const after = await afterStaging({
      ...{ outcome, request: options.request, stackImage: options.stackImage },
      app: appIdentity(options.request),
      ...{ callback: options.callback, buildImage: options.buildImage },
      ...{ publishing: options.publishing, resolve: options.resolve, tls: options.tls },
      downloader: ports.downloader,
      image: {
        images: ports.images,
        plans: ports.plans,
        progress: ports.progress,
        env: options.env,
        signal: options.signal,
      },
      plannedDroplet: ahead.planned,
      lifecycle: ahead.lifecycle,
      onEvent: (event) => ports.onEvent?.(event),
    });
    return finishedReport(options, { outcome, tail, elapsedMs, after });
  } finally {
    await ahead.release();
  }
}

function finishedReport(
  options: RestageRunOptions,
  run: { outcome: RestageOutcome; tail: OutputTail; elapsedMs: number; after: AfterStagingResult },
): RestageReport {
  const { outcome, tail, elapsedMs, after } = run;
  const { request, stackImage } = options;
  const app = appIdentity(request);
  return {
    outcome,
    request,
    app,
    stackImage,
    outputTail: tail.last(tailLines),
    elapsedMs,
    ...after,
  };
}

interface Staging {
  ports: RestagePorts;
  tail: OutputTail;
  trusted: CertificateFile[] | undefined;
  cleanup: DeferredCleanup;
  ahead: DropletAhead;
}

async function stage(options: RestageRunOptions, staging: Staging): Promise<RestageOutcome> {
  const { ports, tail, trusted, cleanup, ahead } = staging;
  const app = appIdentity(options.request);
  const artifacts: KeptArtifact[] = [];
  let containerId: string | undefined;
  try {
    return await restage(
      {
        request: options.request,
        image: options.stackImage,
        network: options.network,
        runId: randomUUID(),
        labels: options.keepContainer ? { [keepLabel]: "true" } : {},
        keepContainer: options.keepContainer,
        outputDir: options.outputDir ?? join("restager-out", app.name ?? app.guid),
        keepArtifacts: !options.upload || options.outputDir !== undefined,
        keepDroplet: options.buildImage,
        trustedCertificates: trusted,
        signal: options.signal,
      },
      {
        ...{ runtime: ports.runtime, downloader: ports.downloader, uploader: ports.uploader },
        archives: ports.archives,
        taskLog: tail.wrap(ports.taskLog),
        logger: ports.progress,
        settings,
        identities: ports.identities,
        onPhase: (phase) => ports.progress.phase(`${app.name ?? app.guid}: ${phase}`),
        onContainer: (created) => {
          containerId = created.id;
          ports.onEvent?.({ type: "container-created", id: created.id });
        },
        onArtifact: (artifact) => artifacts.push(artifact),
        onDropletKept: ahead.onKept,
        onResult: ahead.onResult,
        deferCleanup: (work) => cleanup.add(work),
      },
    );
  } catch (error) {
    ports.progress.idle();
    if (error instanceof CancelledError && containerId !== undefined) {
      throw interrupted(error, { options, containerId, artifacts });
    }
    throw error;
  }
}

/** An interrupted run: which container it removed (or kept), and where a kept droplet is. */
function interrupted(
  error: CancelledError,
  run: { options: RestageRunOptions; containerId: string; artifacts: readonly KeptArtifact[] },
): CancelledError {
  const where = run.options.keepContainer ? "kept" : "removed";
  const droplet = findDroplet(run.artifacts)?.path;
  const note = droplet === undefined ? "" : `; the droplet is kept at ${droplet}`;
  const reason: unknown = run.options.signal.reason;
  return new CancelledError(
    `${error.message}; ${where} container ${run.containerId.slice(0, 12)}${note}`,
    { signal: reason instanceof CancelledError ? reason.signal : undefined },
  );
}

/**
 * Before the run: what restages that are gone left behind. Best effort: when the engine cannot
 * be asked, restage's own engine check reports that a moment later, so a failure here is only a
 * debug line. The ping is bounded, so an engine that hangs does not hang this.
 */
async function reapLeftoversQuietly(ports: RestagePorts): Promise<void> {
  try {
    await ports.runtime.ping();
    await reapLeftovers(ports.runtime, ports.progress);
  } catch (error) {
    ports.progress.debug("leftovers-not-removed", {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
