/**
 * The Docker port `launch`, `ps` and `stop` see: app containers that run an image's command
 * (unlike the idle staging containers of container.ts). Our types only; dockerode stays in
 * docker-apps.ts.
 */

export interface PublishedPort {
  containerPort: number;
  hostPort: number;
  /** undefined: every host address. */
  hostIp?: string | undefined;
}

export interface ContainerHealthcheck {
  /** `["CMD", ...]` or `["CMD-SHELL", "..."]`. */
  test: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

export interface AppContainerSpec {
  name: string;
  image: string;
  entrypoint: string[];
  cmd: string[];
  user: string;
  workingDir: string;
  /** `NAME=value`, merged over the image's env by the engine. */
  env: string[];
  labels: Record<string, string>;
  ports: PublishedPort[];
  memoryMb?: number | undefined;
  cpuShares?: number | undefined;
  nofile?: number | undefined;
  /** undefined: health checks disabled (also the image's own). */
  healthcheck?: ContainerHealthcheck | undefined;
  network?: string | undefined;
  /** The container's hostname (Garden: the container handle, i.e. the instance guid). */
  hostname?: string | undefined;
  /**
   * "unless-stopped": the engine restarts the container whenever it exits, until it is
   * stopped (a crashed Diego instance is restarted); "no" (default): never.
   */
  restart?: "no" | "unless-stopped" | undefined;
  /**
   * Stopped when this restager process goes, however it ends (`launch --attach`): the
   * container never outlives its owner. Needs restart "no" (a restart would outlive the watch).
   */
  boundToOwner?: boolean | undefined;
  /**
   * Container directories that get a volume of their own, removed with the container: where a
   * cell bind-mounts the instance credentials and trusted certificates. Their place on the
   * engine's host comes back as AppContainerState.volumeSources.
   */
  volumes?: readonly string[] | undefined;
}

export interface CheckResult {
  exitCode: number;
  /** stdout and stderr, interleaved, trimmed (the last few KiB). */
  output: string;
}

/** One try of a health probe from restager's side (AppRuntime.probeApp). */
export interface AppProbe {
  /** The container's address: the one the lifecycle's healthcheck dials inside it. */
  ip: string;
  port: number;
  /** HTTP path; undefined: a TCP connect. */
  path?: string | undefined;
  timeoutMs: number;
}

export type ProbeResult =
  | { outcome: "passed" }
  /** The app does not answer as the check wants; `message` words it as the healthcheck does. */
  | { outcome: "failed"; message: string }
  /** restager cannot tell from its side (no route to the container, a redirect elsewhere). */
  | { outcome: "unreachable" };

/** A container just created, not started yet. */
export interface CreatedApp {
  id: string;
  /** As AppContainerState.volumeSources. */
  volumeSources?: Readonly<Record<string, string>> | undefined;
}

export type HealthStatus = "none" | "starting" | "healthy" | "unhealthy";

export interface AppContainerState {
  id: string;
  name: string;
  /** Docker's state: created, running, exited, dead, ... */
  status: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  health: HealthStatus;
  /** Output of the last health check run, trimmed. */
  lastHealthOutput?: string | undefined;
  /** The container's IPv4 address on its first network, when it runs. */
  ip?: string | undefined;
  /** How often the engine restarted it (restart policy). */
  restartCount: number;
  /** Between an exit and the engine's restart. */
  restarting: boolean;
  /** Where the container's volumes (AppContainerSpec.volumes) are on the engine's host, by container path. */
  volumeSources?: Readonly<Record<string, string>> | undefined;
}

export interface LogLine {
  stream: "out" | "err";
  text: string;
}

export interface ListedAppContainer {
  id: string;
  name: string;
  image: string;
  /** Docker's state (running, exited, ...). */
  state: string;
  /** Docker's status text: `Up 3 minutes (healthy)`, `Exited (1) 2 seconds ago`. */
  status: string;
  createdMs: number;
  labels: Record<string, string>;
  ports: PublishedPort[];
}

export interface AppImage {
  id: string;
  /** The first `repo:tag`, else the id. */
  ref: string;
  createdMs: number;
  labels: Record<string, string>;
}

export interface DetachedProcess {
  argv: string[];
  env: string[];
  user: string;
  workingDir: string;
}

/** A container's start or removal, as the engine reports it. */
export interface AppContainerEvent {
  id: string;
  action: "start" | "destroy";
}

export interface AppRuntime {
  /** Where the engine is, for messages (`unix:///var/run/docker.sock`). */
  readonly where: string;
  /** The host name published ports answer on from restager's side (127.0.0.1 for a local engine). */
  readonly publishedHost: string;
  ping(signal?: AbortSignal): Promise<void>;
  findImage(ref: string): Promise<AppImage | undefined>;
  /** The most recently created image labelled `label=value`. */
  newestImage(label: string, value: string): Promise<AppImage | undefined>;
  /** The gateway address of a network (default: the default bridge), if it has one. */
  networkGateway(network?: string): Promise<string | undefined>;
  /**
   * Creates and starts a container. A container that fails to start is removed before this
   * rejects; a host port clash rejects with PortInUseError. `whileStarting` is given the created
   * container (where its volumes are on this host) once its start was asked for, to work on it
   * while the engine starts it; this resolves once both are done. It must not reject.
   */
  runApp(
    spec: AppContainerSpec,
    signal?: AbortSignal,
    whileStarting?: (created: CreatedApp) => Promise<void>,
  ): Promise<string>;
  inspectApp(id: string): Promise<AppContainerState>;
  /** The last `count` log lines, stdout and stderr interleaved as logged. */
  tailLogs(id: string, count: number): Promise<LogLine[]>;
  /**
   * Streams the logs from the container's start, then new lines, until the container stops or
   * `signal` aborts (then resolves too).
   */
  followLogs(id: string, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void>;
  /** Runs a command in a running container and waits for its exit code (a health check). */
  runCheck(
    id: string,
    command: { argv: string[]; user: string },
    signal?: AbortSignal,
  ): Promise<CheckResult>;
  /**
   * One try of a health probe from restager's side, against the container's address: a TCP
   * connect, or an HTTP GET that must end in 200 after redirects, with the healthcheck binary's
   * headers and timeout. "unreachable" when this side cannot decide: the engine is not on this
   * host, the address does not answer at all, or a redirect leaves plain HTTP. Never rejects.
   */
  probeApp(probe: AppProbe, signal?: AbortSignal): Promise<ProbeResult>;
  /**
   * Creates an empty file at `path` in a running container (kept when it exists), owned like
   * the regular file `ownerOf` in the same directory, straight through the container's root on
   * this host: no engine request. False when this host cannot (a remote engine, no permission,
   * `ownerOf` missing or not a regular file).
   */
  touchFile(id: string, file: { path: string; ownerOf: string }): Promise<boolean>;
  /**
   * Sets the restart policy to "unless-stopped": from now on the engine restarts crashes.
   * False when the container stopped before the policy could be set (it exited just now).
   */
  enableRestarts(id: string): Promise<boolean>;
  /** Starts a process in a running container without waiting for it. */
  execDetached(id: string, process: DetachedProcess): Promise<void>;
  /** Extracts `files.tar` into the container at `files.dir` (running or not), keeping owners. */
  putFiles(id: string, files: { dir: string; tar: Buffer }, signal?: AbortSignal): Promise<void>;
  /**
   * Reports starts and removals of containers carrying every one of `labels` (since `sinceS`,
   * seconds since the epoch, when given: the engine replays what happened since) until
   * `signal` aborts (then resolves) or the engine closes the stream (resolves too).
   */
  followEvents(
    filter: { labels: string[]; sinceS?: number | undefined },
    onEvent: (event: AppContainerEvent) => void,
    signal: AbortSignal,
  ): Promise<void>;
  /** Containers, running or not, carrying every one of `labels` (`key` or `key=value`). */
  listApps(labels: string[]): Promise<ListedAppContainer[]>;
  /** Stops (TERM, KILL after `timeoutS`) and keeps the container; stopped or gone is fine. */
  stopApp(id: string, timeoutS: number): Promise<void>;
  /** Stops (TERM, KILL after `timeoutS`) and removes; a missing container is not an error. */
  stopAndRemove(id: string, timeoutS: number): Promise<void>;
}
