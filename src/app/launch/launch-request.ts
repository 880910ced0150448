import type { InputIssue } from "../../errors.js";
import type { AppRuntime } from "../../container/app-runtime.js";
import type { SwarmRuntime } from "../../container/swarm-runtime.js";
import type { Downloader } from "../../http/ports.js";
import type { ImageStore } from "../../container/image-store.js";
import type { PlanCache } from "../../image/plan-cache.js";
import type { LaunchEvent } from "../../launch/launch-events.js";
import type { PublishMode } from "../../launch/swarm-service-spec.js";
import type { InstancesReport } from "./launch-report.js";
import type { AppPlan } from "../../launch/app-plan.js";
import type { LaunchOptions } from "../../launch/launch-options.js";
import type { IdentityIssuer } from "../../identity/instance-identity.js";
import type { SmallFilesTarWriter } from "../../archive/ports.js";

/** Where `launch` puts the app: local containers, a Swarm service, or k8s / compose YAML. */
export type LaunchTarget = "docker" | "swarm" | "k8s" | "compose";

/** What the user asked `launch` for, as plain values (the CLI maps its flags onto this). */
export interface LaunchRequest {
  /** The desired LRP: a file, '-' or undefined for stdin; `app` picks one from log input. */
  file?: string | undefined;
  app?: string | undefined;
  target: LaunchTarget;
  /** Stream the logs until interrupted, then remove the instances (docker only). */
  attach: boolean;
  /** Print the `docker run` lines instead of running (docker only). */
  dryRun: boolean;
  image?: string | undefined;
  /** `NAME=IMAGE` stack mappings for a built image. */
  stack: readonly string[];
  instances?: number | undefined;
  network?: string | undefined;
  /** `[IP:]HOST:CONTAINER` specs. */
  publish: readonly string[];
  /** `NAME=value` (or a bare NAME) assignments. */
  env: readonly string[];
  envFile: readonly string[];
  /** `KEY=VALUE` labels. */
  label: readonly string[];
  keepProxy: boolean;
  withSsh: boolean;
  /** Seconds. */
  startTimeout?: number | undefined;
  /** k8s / compose: the file to write; undefined prints the YAML. */
  out?: string | undefined;
  publishMode: PublishMode;
  k8sKind: "statefulset" | "deployment";
  /** Printed YAML goes to a terminal: credentials are masked there. */
  maskCredentials: boolean;
  /** restager's own environment (proxy values, bare `--env NAME`, SOURCE_DATE_EPOCH). */
  hostEnv: NodeJS.ProcessEnv;
  /** Credentials for a Docker-image app's registry (src/image/registry-auth.ts). */
  registryUser?: string | undefined;
  registryPassword?: string | undefined;
  insecureRegistry?: boolean | undefined;
}

/** A run that can be interrupted (Ctrl-C): the signal aborts, `received` tells it happened. */
export interface Interruption {
  signal: AbortSignal;
  received: () => boolean;
  dispose: () => void;
}

/** What `launch` needs from outside: the engine, downloads, image store, input and interrupts. */
export interface LaunchPorts {
  /** The local engine's app runtime (made on first use: a bad DOCKER_HOST fails there). */
  runtime: () => AppRuntime;
  swarm: () => SwarmRuntime;
  /** The download client (opened only when an image must be resolved); closed after. */
  downloads: () => Promise<{ downloader: Downloader; close(): Promise<void> }>;
  images: () => ImageStore;
  /** Remembers image plans of unchanged files (src/image/plan-cache.ts); none: plan anew. */
  plans?: (() => PlanCache) | undefined;
  stdin: NodeJS.ReadableStream;
  /** Opens an interruption; `doing` says what an interrupt makes the launch do. */
  interruption: (doing: string) => Interruption;
  onProgress: (event: LaunchProgress) => void;
  /** The cell's certificates for local instances: the trusted certificates and identity CA. */
  cellCertificates: () => Promise<CellCertificates>;
  /**
   * Starts renewing the instances' identities after launch returns (it outlives restager), at
   * every restart from `sinceMs` on: the instances' first starts, which launch gave their
   * identities, came before.
   */
  keepIdentities: (plan: AppPlan, sinceMs: number) => void;
}

/** What a cell gives each local instance: identity credentials and trusted certificates. */
export interface CellCertificates {
  cell: NonNullable<LaunchOptions["cell"]>;
  identities: IdentityIssuer;
  /** Writes the certificates into the instances. */
  archives: SmallFilesTarWriter;
}

/** Progress of a launch, for the terminal; the report value carries the result. */
export type LaunchProgress =
  | { kind: "input-warnings"; warnings: readonly InputIssue[] }
  /** A fact about the launch (`Note: ...`). */
  | { kind: "note"; text: string }
  | { kind: "info"; text: string }
  | { kind: "warning"; text: string }
  /** Something went wrong that is not the launch's error (an instance exited). */
  | { kind: "error"; text: string }
  | { kind: "phase"; text: string }
  /** The current phase ended (the status line goes). */
  | { kind: "phase-end" }
  | { kind: "instances"; app: string; event: LaunchEvent }
  | { kind: "replicas"; app: string; running: number; total: number }
  /** --attach: the instances settled; their report comes before the logs. */
  | { kind: "attached"; report: InstancesReport }
  /** --attach: one log line, formatted and masked. */
  | { kind: "log-line"; text: string }
  | { kind: "debug"; event: string; data: Record<string, unknown> };
