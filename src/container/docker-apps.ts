/** DockerApps: the AppRuntime port over dockerode. */
import type Docker from "dockerode";
import { NoInputError } from "../errors.js";
import { appCreateOptions } from "./app-create-options.js";
import type {
  AppContainerEvent,
  AppContainerSpec,
  CheckResult,
  AppContainerState,
  AppImage,
  AppProbe,
  AppRuntime,
  CreatedApp,
  DetachedProcess,
  ListedAppContainer,
  LogLine,
  ProbeResult,
} from "./app-runtime.js";
import { followContainerLogs, tailContainerLogs } from "./container-logs.js";
import { engineMessage, isNotFound, statusCodeOf, toRestagerError } from "./docker-errors.js";
import { DockerConnection, type DockerConnectionOptions } from "./docker-connection.js";
import { DockerRuntime } from "./docker-runtime.js";
import { containerState, listedContainer, networkGatewayOf } from "./app-container-info.js";
import { findAppImage, newestAppImage } from "./app-images.js";
import { PortInUseError, portInUse } from "./port-in-use-error.js";
import { runCheck } from "./run-check.js";
import { probeFromHost } from "./host-probe.js";
import { containerPid, hostPidOf, touchInContainerRoot } from "./container-root-files.js";
import { followContainerEvents } from "./container-events.js";
import { throwIfCancelled } from "../core/cancellation.js";

const loopbackHosts = new Set(["127.0.0.1", "localhost", "::1"]);

export class DockerApps implements AppRuntime {
  readonly where: string;
  readonly publishedHost: string;
  private readonly docker: Docker;
  private readonly runtime: DockerRuntime;
  /** The host pid of each running app container inspectApp saw, by the id it was asked with. */
  private readonly lastPids = new Map<string, number>();

  /** `options.runtime`: the idle-container client to share (DockerEngine passes its own). */
  constructor(options: DockerConnectionOptions & { runtime?: DockerRuntime | undefined } = {}) {
    const connection = DockerConnection.of(options);
    this.where = connection.where;
    this.publishedHost = connection.publishedHost;
    this.docker = connection.docker;
    this.runtime = options.runtime ?? new DockerRuntime({ connection });
  }

  ping(signal?: AbortSignal): Promise<void> {
    return this.runtime.ping(signal);
  }

  async findImage(ref: string): Promise<AppImage | undefined> {
    try {
      return await findAppImage(this.docker, ref);
    } catch (error) {
      throw this.toError(error, `look up the image ${ref}`);
    }
  }

  async newestImage(label: string, value: string): Promise<AppImage | undefined> {
    try {
      return await newestAppImage(this.docker, label, value);
    } catch (error) {
      throw this.toError(error, "list images");
    }
  }

  async networkGateway(network = "bridge"): Promise<string | undefined> {
    try {
      const info: Docker.NetworkInspectInfo = await this.docker.getNetwork(network).inspect();
      return networkGatewayOf(info.IPAM?.Config ?? []);
    } catch (error) {
      if (isNotFound(error)) {
        throw new NoInputError(`The Docker network '${network}' does not exist`, {
          hint: "List networks with 'docker network ls', or create it with 'docker network create'",
          cause: error,
        });
      }
      throw this.toError(error, `inspect the network ${network}`);
    }
  }

  async runApp(
    spec: AppContainerSpec,
    signal?: AbortSignal,
    whileStarting?: (created: CreatedApp) => Promise<void>,
  ): Promise<string> {
    throwIfCancelled(signal);
    let created: Docker.Container;
    try {
      created = await this.docker.createContainer(appCreateOptions(spec));
    } catch (error) {
      if (isNotFound(error)) {
        throw new NoInputError(`The Docker image '${spec.image}' does not exist in the engine`, {
          hint: "Check the name with 'docker images', or leave out --image to use the app's newest restager image",
          cause: error,
        });
      }
      throw this.toError(error, "create an app container", signal);
    }
    try {
      throwIfCancelled(signal);
      await startWhile(created, whileStarting);
      if (spec.boundToOwner === true) await bindToOwner(created);
      return created.id;
    } catch (error) {
      await created.remove({ force: true, v: true }).catch(() => undefined);
      const clash = portInUse(engineMessage(error));
      if (clash) throw new PortInUseError(clash.hostPort, { cause: error });
      throw this.toError(error, `start the container ${spec.name}`, signal);
    }
  }

  async inspectApp(id: string): Promise<AppContainerState> {
    try {
      const info = await this.docker.getContainer(id).inspect();
      if (info.State.Running) this.lastPids.set(id, info.State.Pid);
      return containerState(info);
    } catch (error) {
      throw this.toError(error, "inspect an app container");
    }
  }

  async tailLogs(id: string, count: number): Promise<LogLine[]> {
    try {
      return await tailContainerLogs(this.docker.getContainer(id), count);
    } catch (error) {
      throw this.toError(error, "read an app container's logs");
    }
  }

  async followLogs(id: string, onLine: (line: LogLine) => void, signal: AbortSignal) {
    try {
      await followContainerLogs(this.docker.getContainer(id), onLine, signal);
    } catch (error) {
      if (signal.aborted) return;
      throw this.toError(error, "follow an app container's logs");
    }
  }

  async runCheck(
    id: string,
    command: { argv: string[]; user: string },
    signal?: AbortSignal,
  ): Promise<CheckResult> {
    try {
      return await runCheck(this.docker.getContainer(id), command, signal);
    } catch (error) {
      throw this.toError(error, `run ${command.argv[0] ?? "a check"} in an app container`, signal);
    }
  }

  probeApp(probe: AppProbe, signal?: AbortSignal): Promise<ProbeResult> {
    // Container addresses are routed only on the engine's own host.
    if (!loopbackHosts.has(this.publishedHost)) return Promise.resolve({ outcome: "unreachable" });
    return probeFromHost(probe, signal);
  }

  async touchFile(id: string, file: { path: string; ownerOf: string }): Promise<boolean> {
    // The process inspectApp last saw, while it is still the container's (its cgroup says so):
    // one engine request less between the app's first answer and `launch` returning.
    const seen = this.lastPids.get(id);
    const pid =
      (seen !== undefined ? containerPid(seen, id) : undefined) ??
      (await hostPidOf(this.docker.getContainer(id)));
    return pid !== undefined && touchInContainerRoot(pid, file);
  }

  async enableRestarts(id: string): Promise<boolean> {
    const container = this.docker.getContainer(id);
    try {
      await container.update({ RestartPolicy: { Name: "unless-stopped" } });
      return true;
    } catch (error) {
      // The engine refuses to update a stopped container: the app exited since it was seen. It
      // says so, while its state may still read running for a moment as it stops the container.
      if (/cannot update a stopped container/i.test(engineMessage(error))) return false;
      const running = await container.inspect().then(
        (info) => info.State.Running,
        () => true,
      );
      if (!running) return false;
      throw this.toError(error, "set an app container's restart policy");
    }
  }

  async execDetached(id: string, process: DetachedProcess): Promise<void> {
    try {
      const exec = await this.docker.getContainer(id).exec({
        Cmd: process.argv,
        Env: process.env,
        User: process.user,
        WorkingDir: process.workingDir,
        AttachStdout: false,
        AttachStderr: false,
      });
      await exec.start({ Detach: true });
    } catch (error) {
      throw this.toError(error, `start ${process.argv[0] ?? "a process"} in an app container`);
    }
  }

  async putFiles(
    id: string,
    { dir, tar }: { dir: string; tar: Buffer },
    signal?: AbortSignal,
  ): Promise<void> {
    try {
      throwIfCancelled(signal);
      await this.docker.getContainer(id).putArchive(tar, { path: dir });
    } catch (error) {
      throw this.toError(error, `write files into an app container at ${dir}`, signal);
    }
  }

  async followEvents(
    filter: { labels: string[]; sinceS?: number | undefined },
    onEvent: (event: AppContainerEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      await followContainerEvents(this.docker, { ...filter, onEvent }, signal);
    } catch (error) {
      if (signal.aborted) return;
      throw this.toError(error, "follow the engine's container events");
    }
  }

  async listApps(labels: string[]): Promise<ListedAppContainer[]> {
    try {
      const found = await this.docker.listContainers({ all: true, filters: { label: labels } });
      return found.map(listedContainer);
    } catch (error) {
      throw this.toError(error, "list app containers");
    }
  }

  async stopApp(id: string, timeoutS: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: timeoutS });
    } catch (error) {
      // 304: already stopped; 404: already gone.
      const status = statusCodeOf(error);
      if (status !== 304 && status !== 404) throw this.toError(error, "stop an app container");
    }
  }

  async stopAndRemove(id: string, timeoutS: number): Promise<void> {
    await this.stopApp(id, timeoutS);
    const container = this.docker.getContainer(id);
    try {
      await container.remove({ force: true, v: true });
    } catch (error) {
      const status = statusCodeOf(error);
      if (status !== 404 && status !== 409) throw this.toError(error, "remove an app container");
    }
  }

  private toError(error: unknown, what: string, signal?: AbortSignal) {
    return toRestagerError(error, { what, where: this.where, signal });
  }
}

/**
 * The watch of a bound app container (AppContainerSpec.boundToOwner): a root exec that reads
 * its stdin until end of file, then stops PID 1 (the init, which passes TERM to the app) and,
 * 10 s later, kills whatever is left. restager holds that stdin and never writes to it; the
 * engine closes it when restager's connection goes, however restager ended. As for staging
 * containers (create-options.ts, boundEntrypoint) it needs only the engine connection. The app
 * keeps its own PID 1 and process tree; the watch is one more process, as diego-sshd is.
 */
export const ownerWatch = [
  "/bin/sh",
  "-c",
  "while read -r _; do :; done; kill -TERM 1; sleep 10; kill -KILL -1",
];

async function bindToOwner(container: Docker.Container): Promise<void> {
  const exec = await container.exec({
    Cmd: ownerWatch,
    User: "root",
    AttachStdin: true,
    AttachStdout: false,
    AttachStderr: false,
  });
  const link = (await exec.start({ hijack: true, stdin: true })) as NodeJS.ReadWriteStream & {
    unref?: () => void;
    on(event: "error", fn: () => void): void;
  };
  link.on("error", () => undefined);
  link.unref?.();
}

/**
 * Starts `container`, running `whileStarting` meanwhile. The engine answers no inspect while it
 * starts a container (both take its lock), so the volumes are looked up before; the work begins
 * once the start request is on its way (setImmediate: after the ticks that send it).
 */
async function startWhile(
  container: Docker.Container,
  whileStarting: ((created: CreatedApp) => Promise<void>) | undefined,
): Promise<void> {
  if (!whileStarting) {
    await container.start();
    return;
  }
  const { volumeSources } = containerState(await container.inspect());
  const starting = container.start();
  const work = new Promise((resolve) => setImmediate(resolve)).then(() =>
    whileStarting({ id: container.id, volumeSources }),
  );
  try {
    await starting;
  } finally {
    await work;
  }
}
