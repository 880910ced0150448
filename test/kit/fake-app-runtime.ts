/**
 * An in-memory AppRuntime for `launch` unit tests: containers are records whose state each test
 * scripts (`script(name, states)`: successive inspect answers, the last one repeating).
 */
import type {
  CreatedApp,
  AppContainerEvent,
  AppContainerSpec,
  AppContainerState,
  AppImage,
  AppProbe,
  AppRuntime,
  CheckResult,
  DetachedProcess,
  ListedAppContainer,
  LogLine,
  ProbeResult,
} from "../../src/container/app-runtime.js";
import { PortInUseError } from "../../src/container/port-in-use-error.js";

export interface FakeContainer {
  id: string;
  spec: AppContainerSpec;
  removed: boolean;
  stopped: boolean;
  execs: DetachedProcess[];
}

type StateScript = Partial<AppContainerState>[];

export class FakeAppRuntime implements AppRuntime {
  readonly where = "fake://engine";
  readonly publishedHost = "127.0.0.1";
  readonly containers: FakeContainer[] = [];
  images: AppImage[] = [];
  gateway: string | undefined = "172.17.0.1";
  /** Where a created container's volumes are on this host (none: not writable from here). */
  volumeSources: Record<string, string> | undefined;
  logs: LogLine[] = [];
  /** Host ports whose next runApp fails with PortInUseError (once each). */
  readonly takenPorts = new Set<number>();
  private readonly scripts = new Map<string, StateScript>();

  script(name: string, states: StateScript): void {
    this.scripts.set(name, [...states]);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  findImage(ref: string): Promise<AppImage | undefined> {
    return Promise.resolve(this.images.find((image) => image.ref === ref || image.id === ref));
  }

  newestImage(label: string, value: string): Promise<AppImage | undefined> {
    const matching = this.images.filter((image) => image.labels[label] === value);
    return Promise.resolve(matching.sort((a, b) => b.createdMs - a.createdMs)[0]);
  }

  networkGateway(): Promise<string | undefined> {
    return Promise.resolve(this.gateway);
  }

  async runApp(
    spec: AppContainerSpec,
    _signal?: AbortSignal,
    whileStarting?: (created: CreatedApp) => Promise<void>,
  ): Promise<string> {
    const clash = spec.ports.find((port) => this.takenPorts.delete(port.hostPort));
    if (clash) throw new PortInUseError(clash.hostPort);
    const id = `c${this.containers.length}`;
    this.containers.push({ id, spec, removed: false, stopped: false, execs: [] });
    if (whileStarting) {
      this.calls.push(`starting ${id}`);
      await whileStarting({ id, volumeSources: this.volumeSources });
    }
    return id;
  }

  inspectApp(id: string): Promise<AppContainerState> {
    const container = this.get(id);
    const script = this.scripts.get(container.spec.name) ?? [{}];
    const next = script.length > 1 ? script.shift() : script[0];
    return Promise.resolve({
      id,
      name: container.spec.name,
      status: container.stopped ? "exited" : "running",
      running: !container.stopped,
      exitCode: 0,
      oomKilled: false,
      health: container.spec.healthcheck ? "starting" : "none",
      restartCount: 0,
      restarting: false,
      ...next,
    });
  }

  tailLogs(_id: string, count: number): Promise<LogLine[]> {
    return Promise.resolve(this.logs.slice(-count));
  }

  followLogs(): Promise<void> {
    return Promise.resolve();
  }

  /** Exit codes of successive checks per container name (the last one repeats); default 0. */
  readonly checkScripts = new Map<string, number[]>();
  readonly checks: { id: string; argv: string[]; user: string }[] = [];
  /** Work while starting, putFiles and runCheck calls in order (`starting c0`, `put c0`, `check c0`). */
  readonly calls: string[] = [];

  runCheck(id: string, command: { argv: string[]; user: string }): Promise<CheckResult> {
    this.checks.push({ id, ...command });
    this.calls.push(`check ${id}`);
    const script = this.checkScripts.get(this.get(id).spec.name) ?? [0];
    const exitCode = (script.length > 1 ? script.shift() : script[0]) ?? 0;
    return Promise.resolve({
      exitCode,
      output: exitCode === 0 ? "healthcheck passed" : "failure to get valid HTTP response: 404",
    });
  }

  /**
   * Results of successive probes from restager's side (the last one repeats); default
   * unreachable, so that checks go to runCheck as on an engine this side cannot reach.
   */
  probeScript: ProbeResult[] = [{ outcome: "unreachable" }];
  readonly probes: AppProbe[] = [];

  probeApp(probe: AppProbe): Promise<ProbeResult> {
    this.probes.push(probe);
    const script = this.probeScript;
    const next = (script.length > 1 ? script.shift() : script[0]) ?? { outcome: "unreachable" };
    return Promise.resolve(next);
  }

  /** Whether touchFile succeeds (it does on an engine on this host, as root). */
  touchWorks = true;
  /** Files touched, as `id path (like ownerOf)`. */
  readonly touched: string[] = [];

  touchFile(id: string, file: { path: string; ownerOf: string }): Promise<boolean> {
    if (this.touchWorks) this.touched.push(`${id} ${file.path} (like ${file.ownerOf})`);
    return Promise.resolve(this.touchWorks);
  }

  readonly restartsEnabled: string[] = [];

  /** Names of containers that stop between their passed check and enableRestarts (a race). */
  readonly stopBeforeRestarts = new Set<string>();

  enableRestarts(id: string): Promise<boolean> {
    const container = this.get(id);
    if (this.stopBeforeRestarts.has(container.spec.name)) {
      container.stopped = true;
      return Promise.resolve(false);
    }
    this.restartsEnabled.push(id);
    return Promise.resolve(true);
  }

  execDetached(id: string, process: DetachedProcess): Promise<void> {
    this.get(id).execs.push(process);
    return Promise.resolve();
  }

  /** What putFiles wrote: container id, directory and tar. */
  readonly written: { id: string; dir: string; tar: Buffer }[] = [];

  putFiles(id: string, { dir, tar }: { dir: string; tar: Buffer }): Promise<void> {
    this.written.push({ id, dir, tar });
    this.calls.push(`put ${id}`);
    return Promise.resolve();
  }

  followEvents(
    _filter: { labels: string[]; sinceS?: number | undefined },
    _onEvent: (event: AppContainerEvent) => void,
    _signal: AbortSignal,
  ): Promise<void> {
    return Promise.resolve();
  }

  listApps(): Promise<ListedAppContainer[]> {
    return Promise.resolve([]);
  }

  stopApp(id: string): Promise<void> {
    this.get(id).stopped = true;
    return Promise.resolve();
  }

  stopAndRemove(id: string): Promise<void> {
    const container = this.get(id);
    container.stopped = true;
    container.removed = true;
    return Promise.resolve();
  }

  private get(id: string): FakeContainer {
    const container = this.containers.find((c) => c.id === id);
    if (!container) throw new Error(`no fake container ${id}`);
    return container;
  }
}
