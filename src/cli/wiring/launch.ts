/**
 * The composition root of `launch`: Docker's app runtime, Swarm and image store, the download
 * client (cache dir, `--resolve`, TLS flags), stdin and Ctrl-C handling, wired to the launch use
 * case; its progress and report are printed here.
 */
import {
  launch,
  type Interruption,
  type LaunchPorts,
  type LaunchRequest,
} from "../../app/launch.js";
import { join } from "node:path";
import { DockerApps } from "../../container/docker-apps.js";
import { DirectoryPlanCache, planCacheDirName } from "../../image/plan-cache.js";
import { DockerImageStore } from "../../container/docker-image-store.js";
import { DockerSwarm } from "../../container/docker-swarm.js";
import { defaultCacheDir } from "../../http/default-cache-dir.js";
import { idleTimeoutFromEnv } from "../../http/idle-timeout.js";
import type { LaunchArgs } from "../launch/launch-args.js";
import { cellCertificates, spawnIdentityKeeper } from "../launch/cell-certificates.js";
import { launchProgress } from "../launch/launch-progress.js";
import { printLaunchReport } from "../launch/print-launch-report.js";
import type { Output } from "../output.js";
import { interruptSignal } from "../interrupt-signal.js";
import type { StatusLine } from "../status-line.js";
import { readTlsSettings } from "../tls-flags.js";
import { UsageError } from "../../errors.js";
import { readPasswordFromStdin } from "../image-flags.js";

export async function runLaunchCommand(output: Output, args: LaunchArgs): Promise<void> {
  if (args.registryPasswordStdin) {
    if (args.file === undefined || args.file === "-") {
      throw new UsageError("--registry-password-stdin needs the LRP in a file: stdin is taken", {
        hint: 'printf %s "$PASSWORD" | launch lrp.json --registry-user NAME --registry-password-stdin',
      });
    }
    args.registryPassword = await readPasswordFromStdin(output.stdin);
  }
  const status = await output.statusLine();
  const report = await launch(launchRequest(output, args), launchPorts(output, args, status));
  printLaunchReport(output, report);
}

function launchRequest(output: Output, args: LaunchArgs): LaunchRequest {
  return {
    file: args.file,
    app: args.app,
    target: args.output,
    attach: args.attach === true || args.detach === false,
    dryRun: args.dryRun === true,
    image: args.image,
    stack: args.stack,
    instances: args.instances,
    network: args.network,
    publish: args.publish,
    env: args.env,
    envFile: args.envFile,
    label: args.label,
    keepProxy: args.keepProxy === true,
    withSsh: args.withSsh === true,
    startTimeout: args.startTimeout,
    out: args.out,
    publishMode: args.publishMode,
    k8sKind: args.k8sKind,
    maskCredentials: output.stdoutIsTty,
    hostEnv: output.env,
    registryUser: args.registryUser,
    registryPassword: args.registryPassword,
    insecureRegistry: args.insecureRegistry,
  };
}

function launchPorts(output: Output, args: LaunchArgs, status: StatusLine): LaunchPorts {
  const env = output.env;
  const cacheDir = args.cacheDir ?? defaultCacheDir(env);
  let apps: DockerApps | undefined;
  return {
    runtime: () => (apps ??= new DockerApps({ env })),
    swarm: () => new DockerSwarm({ env }),
    images: () => new DockerImageStore({ env }),
    plans: () => new DirectoryPlanCache(join(cacheDir, planCacheDirName)),
    // undici loads only when a droplet is downloaded (~0.05 s of CPU a launch from an existing
    // image does not pay).
    downloads: async () =>
      (await import("../../http/http-clients.js")).createHttpClients({
        cacheDir,
        resolve: args.resolve,
        upload: false,
        tls: await readTlsSettings(args, output),
        transport: idleTimeoutFromEnv(env),
      }),
    stdin: output.stdin,
    interruption: (doing) => interruption(output, status, doing),
    onProgress: launchProgress(output, status),
    cellCertificates: () => cellCertificates(output, { cacheDir, trustedCerts: args.trustedCerts }),
    keepIdentities: (plan, sinceMs) => spawnIdentityKeeper(output, plan, { cacheDir, sinceMs }),
  };
}

function interruption(output: Output, status: StatusLine, doing: string): Interruption {
  const interrupt = interruptSignal((signal) =>
    status.above(() => output.info(`Received ${signal}: ${doing}...`)),
  );
  return {
    signal: interrupt.signal,
    received: () => interrupt.received() !== undefined,
    dispose: () => interrupt.dispose(),
  };
}
