import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { findDroplet, type KeptArtifact } from "../../restage/kept-artifacts.js";
import { TarArchives } from "../../archive/tar-archives.js";
import type { Container } from "../../container/container.js";
import { DockerRuntime } from "../../container/docker-runtime.js";
import { appIdentity } from "../../diego/app-identity.js";
import type { TaskRequest } from "../../diego/task-definition.js";
import { CancelledError } from "../../errors.js";
import { createHttpClients } from "../../http/http-clients.js";
import { defaultCacheDir } from "../../http/default-cache-dir.js";
import { idleTimeoutFromEnv } from "../../http/idle-timeout.js";
import type { TlsSettings } from "../../http/tls-settings.js";
import { restage, type RestageOutcome } from "../../restage/restage.js";
import type { RestageArgs } from "../commands/restage.js";
import type { Output } from "../output.js";
import { TaskLogPrinter } from "../task-log-printer.js";
import { interruptSignal } from "./interrupt-signal.js";
import { OutputTail } from "./output-tail.js";
import { afterStaging } from "./after-staging.js";
import { identityAuthority, trustedCertificates } from "./cell-credentials.js";
import { keepLabel, reapLeftovers } from "./leftovers.js";
import { enterRunTempDir, type RunTempDir } from "./run-temp-dir.js";

/** Diego's graceful shutdown interval before KILL, and the wait after KILL. */
const settings = { gracePeriodMs: 10_000, exitTimeoutMs: 1_000 };

/** Wires the real adapters to the restage use case and reports the outcome; returns the exit code. */
export async function runRestage(
  output: Output,
  request: TaskRequest,
  image: string,
  args: RestageArgs,
  extras: { password?: string | undefined; tls: TlsSettings },
): Promise<number> {
  // Read before anything is created, so a bad value leaves nothing behind.
  const transport = idleTimeoutFromEnv(output.env);
  const app = appIdentity(request);
  const status = await output.statusLine();
  const tail = new OutputTail(40);
  const source = request.definition.logSource || "STG";
  const taskLog = tail.wrap(new TaskLogPrinter(output, status, source));
  let container: Container | undefined;
  const runtime = new DockerRuntime({ env: output.env });
  await reapLeftoversQuietly(runtime, output);
  const temp = await enterRunTempDir();
  const interrupt = interruptSignal(
    (signal) =>
      status.above(() => output.info(`Received ${signal}: stopping and removing the container...`)),
    { leftovers: () => leftoverLines(container, temp, args.keep === true) },
  );
  const cacheDir = args.cacheDir ?? defaultCacheDir(output.env);
  const trusted = await trustedCertificates(args.trustedCerts, output.env);
  const identityCa = await identityAuthority(cacheDir);
  const http = createHttpClients({
    cacheDir,
    resolve: args.resolve,
    upload: args.upload,
    tls: extras.tls,
    transport,
  });
  const cleanUp = async () => {
    await http.close();
    await temp.release();
    interrupt.dispose();
  };
  const started = performance.now();
  let outcome: RestageOutcome | undefined;
  const artifacts: KeptArtifact[] = [];
  try {
    outcome = await restage(
      {
        request,
        image,
        network: args.network,
        runId: randomUUID(),
        labels: args.keep === true ? { [keepLabel]: "true" } : {},
        keepContainer: args.keep === true,
        outputDir: args.outputDir ?? join("restager-out", app.name ?? app.guid),
        keepArtifacts: !args.upload || args.outputDir !== undefined,
        keepDroplet: args.image !== false,
        trustedCertificates: trusted,
        signal: interrupt.signal,
      },
      {
        runtime,
        ...http,
        archives: new TarArchives(),
        taskLog,
        logger: output,
        settings,
        identityCa,
        onPhase: (phase) => status.phase(`${app.name ?? app.guid}: ${phase}`),
        onContainer: (created) => (container = created),
        onArtifact: (artifact) => artifacts.push(artifact),
      },
    );
  } catch (error) {
    status.stop();
    if (error instanceof CancelledError && container) {
      const where = args.keep ? "kept" : "removed";
      throw new CancelledError(
        `${error.message}; ${where} container ${container.id.slice(0, 12)}${keptDropletNote(artifacts)}`,
        {
          signal: interrupt.received(),
        },
      );
    }
    throw error;
  } finally {
    // After success the image still needs the downloader (the cached lifecycle) and the signal.
    if (outcome === undefined) await cleanUp();
  }
  status.stop();
  const elapsedMs = performance.now() - started;
  try {
    return await afterStaging(output, {
      ...{ outcome, request, stackImage: image, app, tail, elapsedMs, args, status },
      ...{ password: extras.password, downloader: http.downloader, tls: extras.tls },
      signal: interrupt.signal,
    });
  } finally {
    await cleanUp();
  }
}

/**
 * Before the run: what restages that are gone left behind. Best effort: when the engine cannot
 * be asked, restage's own engine check reports that a moment later, so a failure here is only a
 * debug line. The ping is bounded, so an engine that hangs does not hang this.
 */
async function reapLeftoversQuietly(runtime: DockerRuntime, output: Output): Promise<void> {
  try {
    await runtime.ping();
    await reapLeftovers(runtime, output);
  } catch (error) {
    output.debug("leftovers-not-removed", {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** An interrupted run's droplet, when one was kept on disk: where it is. */
function keptDropletNote(artifacts: readonly KeptArtifact[]): string {
  const droplet = findDroplet(artifacts);
  return droplet?.path === undefined ? "" : `; the droplet is kept at ${droplet.path}`;
}

/** Told on a second signal: what this run leaves if it exits now, and how to remove it. */
function leftoverLines(container: Container | undefined, temp: RunTempDir, kept: boolean) {
  const lines: string[] = [];
  if (container) {
    const id = container.id.slice(0, 12);
    lines.push(
      kept
        ? `Left: staging container ${id} (kept with --keep); remove it with: docker rm -f ${id}`
        : `Left: staging container ${id}; it removes itself once restager has exited (if it is still listed by 'docker ps -a': docker rm -f ${id})`,
    );
  }
  lines.push(`Left: temporary files in ${temp.path}; remove them with: rm -rf ${temp.path}`);
  lines.push("The next restage removes whatever else this run left ('restager ps --all' lists it)");
  return lines;
}
