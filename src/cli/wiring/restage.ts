/**
 * The composition root of `restage`: builds the Docker, HTTP, archive and PKI adapters, turns
 * signals into an abort, runs the use case (src/app/restage.ts) and prints its report.
 */
import { runRestage, type RestageEvent, type RestageRunOptions } from "../../app/restage.js";
import { TarArchives } from "../../archive/tar-archives.js";
import { attemptCount } from "../../callback/send-callback.js";
import { DockerImageStore } from "../../container/docker-image-store.js";
import { DockerRuntime } from "../../container/docker-runtime.js";
import { defaultCacheDir } from "../../http/default-cache-dir.js";
import { createHttpClients } from "../../http/http-clients.js";
import { idleTimeoutFromEnv } from "../../http/idle-timeout.js";
import { identityIssuer } from "../identity-issuer.js";
import type { Output } from "../output.js";
import { interruptSignal } from "../interrupt-signal.js";
import { printImage } from "../report-image.js";
import { reportRestage } from "../restage/report-restage.js";
import { statusReporter } from "../status-reporter.js";
import { TaskLogPrinter } from "../task-log-printer.js";
import { join } from "node:path";
import { DirectoryPlanCache, planCacheDirName } from "../../image/plan-cache.js";

export interface RestageWiring extends Omit<RestageRunOptions, "env" | "signal"> {
  /** `--cache-dir`; default $XDG_CACHE_HOME/restager or ~/.cache/restager. */
  cacheDir?: string | undefined;
}

/** What this run has made so far, for the lines a second signal prints. */
interface RunState {
  containerId?: string | undefined;
  tempDir?: string | undefined;
}

/** Runs the restage on the local engine and prints the report; returns the exit code. */
export async function restageOnDocker(output: Output, wiring: RestageWiring): Promise<number> {
  // Read before anything is created, so a bad value leaves nothing behind.
  const transport = idleTimeoutFromEnv(output.env);
  const status = await output.statusLine();
  const progress = statusReporter(output, status);
  const state: RunState = {};
  const interrupt = interruptSignal(
    (signal) => progress.info(`Received ${signal}: stopping and removing the container...`),
    { leftovers: () => leftoverLines(state, wiring.keepContainer) },
  );
  const cacheDir = wiring.cacheDir ?? defaultCacheDir(output.env);
  const http = createHttpClients({
    cacheDir,
    resolve: wiring.resolve,
    upload: wiring.upload,
    tls: wiring.tls,
    transport,
  });
  try {
    const source = wiring.request.definition.logSource || "STG";
    const report = await runRestage(
      { ...wiring, env: output.env, signal: interrupt.signal },
      {
        runtime: new DockerRuntime({ env: output.env }),
        downloader: http.downloader,
        uploader: http.uploader,
        archives: new TarArchives(),
        images: new DockerImageStore({ env: output.env }),
        plans: new DirectoryPlanCache(join(cacheDir, planCacheDirName)),
        identities: identityIssuer(cacheDir),
        taskLog: new TaskLogPrinter(output, status, source),
        progress,
        onEvent: (event) => track(output, state, event),
      },
    );
    const code = reportRestage(output, report);
    if (report.image) printImage(output, report.image);
    if (report.keptDroplet !== undefined) {
      const path = report.keptDroplet;
      output.error(
        `The droplet is kept at ${path}; build the image from it later with 'restager image --droplet ${path} --lifecycle <buildpack_app_lifecycle.tgz> --stack ${report.stackImage}', or restage again`,
      );
    }
    if (report.error !== undefined) throw report.error;
    return code;
  } finally {
    await http.close();
    interrupt.dispose();
  }
}

function track(output: Output, state: RunState, event: RestageEvent): void {
  switch (event.type) {
    case "container-created":
      state.containerId = event.id;
      return;
    case "temp-dir":
      state.tempDir = event.path;
      return;
    case "callback-sent":
      output.info(
        `Callback (${event.state}) to ${event.url}: HTTP ${event.status} after ${attemptCount(event.attempts)}`,
      );
      return;
  }
}

/** Told on a second signal: what this run leaves if it exits now, and how to remove it. */
function leftoverLines(state: RunState, kept: boolean): string[] {
  const lines: string[] = [];
  if (state.containerId !== undefined) {
    const id = state.containerId.slice(0, 12);
    lines.push(
      kept
        ? `Left: staging container ${id} (kept with --keep); remove it with: docker rm -f ${id}`
        : `Left: staging container ${id}; it removes itself once restager has exited (if it is still listed by 'docker ps -a': docker rm -f ${id})`,
    );
  }
  if (state.tempDir !== undefined) {
    const path = state.tempDir;
    lines.push(`Left: temporary files in ${path}; remove them with: rm -rf ${path}`);
  }
  lines.push("The next restage removes whatever else this run left ('restager ps --all' lists it)");
  return lines;
}
