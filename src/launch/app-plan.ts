import type { RunAction } from "../diego/actions.js";
import { appIdentity, type AppIdentity } from "../diego/app-identity.js";
import type { DesiredLrp } from "../diego/desired-lrp.js";
import { homeDir } from "../diego/home-dir.js";
import { cpuSharesFor } from "../diego/cpu-shares.js";
import { appHealth, type AppHealth } from "./app-health.js";
import { appLabels } from "./app-labels.js";
import {
  containerHealthcheck,
  livenessHealthcheck,
  readyCheckArgv,
  type HealthcheckSpec,
} from "./container-healthcheck.js";
import { gardenDefaults, type EnvSources } from "./instance-env.js";
import { defaultStartTimeoutMs, type LaunchOptions } from "./launch-options.js";
import { lrpProcesses } from "./lrp-processes.js";
import { launchNotices } from "./launch-notices.js";
import { publishedPorts } from "./published-ports.js";
import { applyProxyRule } from "./proxy-rule.js";
import type { PublishSpec } from "./publish-spec.js";
import { instanceEnv } from "./instance-env.js";
import { sidecarProcess, type SidecarProcess } from "./sidecar-processes.js";
import { cellCertificatesEnv, type CellCertificates } from "./instance-credentials.js";

/** Everything the instances of one launched app share, derived once from the LRP and flags. */
export interface AppPlan {
  app: AppIdentity;
  processGuid: string;
  rootfs: string;
  image: string;
  instances: number;
  /** The launcher run action: its path and args are the command, its user runs it. */
  run: RunAction;
  /** diego-sshd, only with --with-ssh: started next to the app in each container. */
  sshd?: RunAction | undefined;
  /** The other codependent processes, started next to the app in each container. */
  sidecars: SidecarProcess[];
  /** Instance identity and trusted certificates, as a cell gives them (local instances). */
  cell?: CellCertificates | undefined;
  user: string;
  workingDir: string;
  /** The run action's argv: `/tmp/lifecycle/launcher app "<start command>" "<metadata>"`. */
  command: string[];
  memoryMb: number;
  cpuShares?: number | undefined;
  nofile?: number | undefined;
  health: AppHealth;
  /** Docker's health check on Swarm and compose (status only). */
  healthcheck?: HealthcheckSpec | undefined;
  /** Docker's health check of local instances: liveness that ends a failing instance. */
  liveness?: HealthcheckSpec | undefined;
  /** What `launch` runs itself until an instance is healthy (and ready). */
  readyCheck?: string[] | undefined;
  startTimeoutMs: number;
  /** Every LRP port, in LRP order (CF_INSTANCE_PORTS lists them all). */
  lrpPorts: number[];
  /** The LRP ports that are published, with the host port the user chose (if any). */
  published: { containerPort: number; fixed?: PublishSpec | undefined }[];
  env: EnvSources;
  logSource: string;
  network?: string | undefined;
  /** Labels shared by every instance. */
  labels: Record<string, string>;
  runId: string;
  /** What the user should know: parts of the LRP not replayed, proxy variables changed. */
  notices: string[];
  /**
   * `launch --attach`: every instance is stopped when this restager process goes (even by
   * SIGKILL), and the engine never restarts one (a restart would outlive the binding).
   */
  boundToOwner?: boolean | undefined;
}

/**
 * Reads the LRP once for every target: the launcher run action gives the command, user, env
 * and nofile; the LRP gives limits, ports, health check, instances and start timeout; the
 * flags add or override (see LaunchOptions).
 */
export function planApp(lrp: DesiredLrp, options: LaunchOptions): AppPlan {
  const app = appIdentity(lrp);
  const { main, sshd, sidecars } = lrpProcesses(lrp);
  const proxy = applyProxyRule(main.env, options);
  const health = appHealth(lrp);
  const startTimeoutMs = options.startTimeoutMs ?? (lrp.startTimeoutMs || defaultStartTimeoutMs);
  const logSource = main.logSource || "APP";
  const instances = options.instances ?? lrp.instances;
  const { withSsh } = options;
  return {
    app,
    processGuid: lrp.processGuid,
    rootfs: lrp.rootfs,
    image: options.image,
    instances: instances > 0 ? instances : 1,
    run: main,
    sshd: withSsh ? sshd : undefined,
    cell: cellCertificates(lrp, options),
    sidecars: sidecars.map((run) =>
      sidecarProcess(run, {
        appEnv: processEnv(lrp, main, options),
        ownEnv: processEnv(lrp, run, options),
        fallbackSource: logSource,
      }),
    ),
    user: main.user,
    workingDir: main.dir ?? homeDir(main.user),
    command: [main.path, ...main.args],
    memoryMb: lrp.memoryMb,
    cpuShares: cpuSharesFor(lrp.cpuWeight),
    nofile: main.resourceLimits.nofile,
    health,
    healthcheck: containerHealthcheck(health, startTimeoutMs),
    liveness: livenessHealthcheck(health, startTimeoutMs),
    readyCheck: readyCheckArgv(health),
    startTimeoutMs,
    lrpPorts: [...lrp.ports],
    published: publishedPorts(lrp, { sshd, withSsh, publish: options.publish }),
    env: envSources(lrp, { main, runEnv: proxy.env }, options),
    logSource,
    network: options.network,
    labels: appLabels({
      runId: options.runId,
      app,
      processGuid: lrp.processGuid,
      logSource,
      dropletSha256: options.dropletSha256,
      output: "docker",
      extra: options.labels,
    }),
    runId: options.runId,
    notices: launchNotices({ lrp, sshd, sidecars, withSsh, proxy, health, instances }),
  };
}

/** What the cell would add: the identity, and the certificates when the LRP names a path. */
function cellCertificates(lrp: DesiredLrp, options: LaunchOptions): CellCertificates | undefined {
  const { cell } = options;
  if (!cell) return undefined;
  const path = lrp.trustedSystemCertificatesPath;
  const certificates = cell.trustedCerts;
  return {
    identity: cell.identity
      ? { organizationalUnits: lrp.certificateProperties?.organizationalUnit ?? [] }
      : undefined,
    trusted:
      path && certificates && certificates.names.length > 0 ? { path, certificates } : undefined,
  };
}

/** A process's environment without the per-instance parts (the same for both processes). */
function processEnv(lrp: DesiredLrp, run: RunAction, options: LaunchOptions) {
  const runEnv = applyProxyRule(run.env, options).env;
  return instanceEnv(envSources(lrp, { main: run, runEnv }, options), [], []);
}

function envSources(
  lrp: DesiredLrp,
  process: { main: RunAction; runEnv: EnvSources["runEnv"] },
  options: LaunchOptions,
): EnvSources {
  const { main, runEnv } = process;
  return {
    lrpEnv: lrp.env,
    executorEnv: cellCertificatesEnv(cellCertificates(lrp, options)),
    runEnv,
    defaults: gardenDefaults(lrp.rootfs, main.user),
    envFile: options.envFile,
    overrides: options.env,
  };
}
