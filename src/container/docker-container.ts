/** DockerContainer: the Container port over one dockerode container. */
import { createReadStream } from "node:fs";
import { posix } from "node:path";
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { CannotWriteError, InvalidInputError, type RestagerError } from "../errors.js";
import type { Container, ContainerUser, ExecProcess, ProcessIO, ProcessSpec } from "./container.js";
import { engineMessage, isNotFound, statusCodeOf, toRestagerError } from "./docker-errors.js";
import { DockerExecProcess } from "./exec-process.js";
import { wrapperArgv } from "./exec-wrapper.js";
import { findPasswdUser } from "./passwd.js";
import { PathMissingError } from "./path-missing-error.js";
import { parseEnv, processEnv } from "./process-env.js";
import { RootCommands } from "./root-commands.js";
import { startExec } from "./start-exec.js";
import { probeSetpriv, streamIn } from "./stream-in.js";
import { readTarFirstFile } from "./tar-first-file.js";
import { throwIfCancelled } from "../core/cancellation.js";
import {
  containerPid,
  hasExecutableInContainerRoot,
  hostPidOf,
  isDirInContainerRoot,
  openInContainerRoot,
  readInContainerRoot,
} from "./container-root-files.js";

/** The PATH of an exec whose container env has none (the engine's default on Linux). */
const enginePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export class DockerContainer implements Container {
  private readonly container: Docker.Container;
  private readonly root: RootCommands;
  private passwd: Promise<string> | undefined;
  /** The engine's env of the container (image env and Docker's merged with the spec's). */
  private engineEnv: Promise<string[]> | undefined;
  private setpriv: Promise<boolean> | undefined;
  /** The container's main process on this host, once found (see hostPid). */
  private pid: Promise<number | undefined> | undefined;
  /** Working directories known to exist (they are never removed by restager). */
  private readonly knownDirs = new Set<string>();
  /** Homes being asked about (the answer: the home when it is a directory, else `/`). */
  private readonly homes = new Map<string, Promise<string>>();

  /**
   * `options.where`: the engine address, for messages. `options.env`: the container env as
   * Garden would have it, when it differs from the engine's (a stack image whose own env must
   * not apply); undefined: the engine's.
   */
  constructor(
    docker: Docker,
    readonly id: string,
    private readonly options: { where: string; env?: readonly string[] | undefined },
  ) {
    this.container = docker.getContainer(id);
    this.root = new RootCommands(this.container, (error, what, signal) =>
      this.toError(error, what, signal),
    );
  }

  async putArchive(path: string, tar: Readable, options: { signal?: AbortSignal } = {}) {
    const { signal } = options;
    try {
      throwIfCancelled(signal);
      // Docker refuses to extract into a missing directory; Diego's stream-in creates it. `/`
      // always exists (and an unstarted container could not run the mkdir).
      if (path !== "/") {
        const made = await this.root.makeDir(path, signal);
        if (made.exitCode !== 0) {
          throw new CannotWriteError(`Cannot create ${path} in the container: ${made.stderr}`);
        }
      }
      throwIfCancelled(signal);
      // dockerode resolves only after reading Docker's whole response, i.e. after extraction.
      await this.container.putArchive(tar, { path, ...(signal ? { abortSignal: signal } : {}) });
    } catch (error) {
      tar.destroy();
      throw this.toError(error, `extract an archive into ${path}`, signal);
    }
  }

  async streamIn(
    to: string,
    tar: Readable,
    options: { user: string; signal?: AbortSignal | undefined },
  ): Promise<void> {
    const { signal } = options;
    try {
      throwIfCancelled(signal);
      const user = await this.lookupUser(options.user);
      const path = posix.resolve(user.home || "/", to);
      const hasSetpriv = () => this.hasSetpriv(signal);
      await streamIn(
        { container: this.container, root: this.root },
        { path, user, tar, signal, hasSetpriv },
        (error, what, s) => this.toError(error, what, s),
      );
    } catch (error) {
      tar.destroy();
      throw error;
    }
  }

  readAhead(users: readonly string[]): void {
    const quiet = (work: () => Promise<unknown>) => void work().catch(() => undefined);
    quiet(() => this.readEngineEnv());
    quiet(() => this.hasSetpriv());
    for (const name of new Set(users)) {
      quiet(async () => this.homeDir(await this.lookupUser(name)));
    }
  }

  /**
   * Whether the root helper's shell finds setpriv: looked up in its PATH through the container's
   * root when the engine runs here, else (or when not found that way) asked with an exec.
   */
  private hasSetpriv(signal?: AbortSignal): Promise<boolean> {
    this.setpriv ??= this.findSetprivHere().then(
      async (found) =>
        found ?? (await this.root.run(probeSetpriv, "look for setpriv", signal)).exitCode === 0,
    );
    this.setpriv.catch(() => (this.setpriv = undefined));
    return this.setpriv;
  }

  private async findSetprivHere(): Promise<true | undefined> {
    const pid = await this.hostPid();
    if (pid === undefined) return undefined;
    // Root execs get the container's env, else the engine's PATH (they are given no env).
    const env = await this.readEngineEnv().catch(() => undefined);
    if (env === undefined) return undefined;
    const path = env.findLast((entry) => entry.startsWith("PATH="))?.slice(5) ?? enginePath;
    return hasExecutableInContainerRoot(pid, "setpriv", path.split(":"));
  }

  /**
   * The container's main process as this host sees it (hostPidOf), looked up once and checked
   * against the container's cgroup at every use; undefined when the engine is elsewhere or the
   * container is not running.
   */
  private async hostPid(): Promise<number | undefined> {
    this.pid ??= hostPidOf(this.container);
    const pid = await this.pid;
    if (pid === undefined) this.pid = undefined;
    return pid === undefined ? undefined : containerPid(pid, this.id);
  }

  async getArchive(path: string, options: { signal?: AbortSignal } = {}): Promise<Readable> {
    const { signal } = options;
    throwIfCancelled(signal);
    try {
      const stream = await this.container.getArchive({
        path,
        ...(signal ? { abortSignal: signal } : {}),
      });
      return stream as Readable;
    } catch (error) {
      if (isNotFound(error) && !/^no such container/i.test(engineMessage(error))) {
        throw new PathMissingError(path, { cause: error });
      }
      throw this.toError(error, `read ${path}`, signal);
    }
  }

  async openFile(path: string): Promise<{ stream: Readable; sizeBytes: number } | undefined> {
    const pid = await this.hostPid();
    const opened = pid === undefined ? undefined : openInContainerRoot(pid, path);
    if (opened === undefined) return undefined;
    return { stream: createReadStream("", { fd: opened.fd }), sizeBytes: opened.sizeBytes };
  }

  async exec(spec: ProcessSpec, io: ProcessIO, options: { signal?: AbortSignal } = {}) {
    const { signal } = options;
    throwIfCancelled(signal);
    const user = await this.lookupUser(spec.user);
    const engineEnv = await this.readEngineEnv();
    const env = processEnv(this.options.env ?? engineEnv, spec.env, user);
    const unset = dockerOnlyNames(engineEnv, env);
    const workingDir = await this.workingDir(spec.dir, user, signal);
    const cmd = wrapperArgv({ path: spec.path, args: spec.args, env, nofile: spec.nofile, unset });
    throwIfCancelled(signal);
    let started;
    try {
      started = await startExec(this.container, { cmd, env, user: spec.user, workingDir }, signal);
    } catch (error) {
      throw this.toError(error, `start ${spec.path}`, signal);
    }
    const running: ExecProcess = new DockerExecProcess(started, io, {
      readsPid: true,
      kill: (pid, sig) => this.root.kill(pid, sig),
      signal,
      toError: (error, what) => this.toError(error, what),
    });
    return running;
  }

  async lookupUser(name: string): Promise<ContainerUser> {
    this.passwd ??= this.readPasswd();
    let text: string;
    try {
      text = await this.passwd;
    } catch (error) {
      this.passwd = undefined;
      throw error;
    }
    const user = findPasswdUser(text, name);
    if (!user) {
      throw new InvalidInputError(`user '${name}' does not exist in the stack image`, [], {
        hint: "Diego runs processes as a user of the rootfs (vcap or root); use a stack image that has it",
      });
    }
    return user;
  }

  /**
   * Container level, as Garden's OOM event: whether the kernel OOM-killed any process in the
   * container, not which one (see oom-kills.ts for why the cgroup counter is read).
   */
  async wasOomKilled(): Promise<boolean> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.container.inspect();
    } catch (error) {
      if (isNotFound(error)) return false;
      throw this.toError(error, "inspect the container");
    }
    if (info.State.OOMKilled || !info.State.Running) return info.State.OOMKilled;
    // Best effort: a container that cannot start one more process (pids limit) still has a
    // run result to report; the answer is then "not known to be OOM".
    const kills = await this.root.oomKills().catch(() => undefined);
    return (kills ?? 0) > 0;
  }

  async remove(): Promise<void> {
    try {
      await this.container.remove({ force: true, v: true });
    } catch (error) {
      // 404: already gone; 409: another removal is in progress. Both mean "done" here.
      const status = statusCodeOf(error);
      if (status === 404 || status === 409) return;
      throw this.toError(error, "remove the container");
    }
  }

  /** Straight from the container's root when the engine runs here, else through the engine. */
  private async readPasswd(): Promise<string> {
    const pid = await this.hostPid();
    const here = pid === undefined ? undefined : readInContainerRoot(pid, "/etc/passwd");
    if (here !== undefined) return here.toString("utf8");
    const archive = await this.getArchive("/etc/passwd");
    try {
      const content = await readTarFirstFile(archive);
      return content?.toString("utf8") ?? "";
    } catch (error) {
      throw this.toError(error, "read /etc/passwd");
    }
  }

  async networkAddresses(): Promise<{ ip: string; gateway: string }> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.container.inspect();
    } catch (error) {
      throw this.toError(error, "inspect the container");
    }
    const networks = Object.values(info.NetworkSettings.Networks ?? {});
    const attached = networks.find((network) => network.IPAddress);
    return { ip: attached?.IPAddress ?? "", gateway: attached?.Gateway ?? "" };
  }

  private async readEngineEnv(): Promise<string[]> {
    this.engineEnv ??= this.container.inspect().then((info) => info.Config.Env ?? []);
    try {
      return await this.engineEnv;
    } catch (error) {
      this.engineEnv = undefined;
      throw this.toError(error, "inspect the container");
    }
  }

  /**
   * Guardian's rule: the given dir, or the user's home, is the cwd. A given dir is created
   * (owned by the user) when missing; a missing home falls back to `/`.
   */
  private async workingDir(dir: string | undefined, user: ContainerUser, signal?: AbortSignal) {
    const explicit = dir !== undefined && dir !== "";
    if (!explicit) return this.homeDir(user, signal);
    const path = posix.resolve("/", dir);
    if (path === "/" || this.knownDirs.has(path)) return path;
    const made = await this.root.ensureOwnedDir(path, `${user.uid}:${user.gid}`, signal);
    if (made.exitCode !== 0) {
      throw new CannotWriteError(`Cannot create the working directory ${path}: ${made.stderr}`);
    }
    this.knownDirs.add(path);
    return path;
  }

  /**
   * The user's home when it is a directory, else `/`. A home found is remembered (restager
   * never removes one); a missing one is asked again next time, as a process may create it.
   */
  private homeDir(user: ContainerUser, signal?: AbortSignal): Promise<string> {
    const path = posix.resolve("/", user.home || "/");
    if (path === "/" || this.knownDirs.has(path)) return Promise.resolve(path);
    let answer = this.homes.get(path);
    if (answer === undefined) {
      answer = this.isDir(path, signal).then((isDir) => {
        if (isDir) this.knownDirs.add(path);
        return isDir ? path : "/";
      });
      this.homes.set(path, answer);
      const forget = () => this.homes.delete(path);
      answer.then(forget, forget);
    }
    return answer;
  }

  /** `test -d`, answered through the container's root when that can say yes. */
  private async isDir(path: string, signal?: AbortSignal): Promise<boolean> {
    const pid = await this.hostPid();
    if (pid !== undefined && isDirInContainerRoot(pid, path)) return true;
    return this.root.isDir(path, signal);
  }

  private toError(error: unknown, what: string, signal?: AbortSignal): RestagerError {
    return toRestagerError(error, { what, where: this.options.where, signal });
  }
}

/**
 * What Docker puts in an exec's env beyond ours: HOSTNAME (the daemon adds it to every exec)
 * and the engine's container env (the image's env included), minus the names the process does
 * get from us.
 */
function dockerOnlyNames(engineEnv: readonly string[], env: readonly string[]): string[] {
  const ours = new Set(parseEnv(env).map((variable) => variable.name));
  const docker = new Set(["HOSTNAME", ...parseEnv(engineEnv).map((variable) => variable.name)]);
  return [...docker].filter((name) => !ours.has(name));
}
