/**
 * A second, throw-away Docker engine for tests that must stop an engine mid-run without
 * touching the shared one: its own data root, exec root (with its own managed containerd), pid
 * file and socket, all under one temp directory.
 *
 * It runs in a network namespace of its own (`unshare --net`). That is not optional: a dockerd
 * started with `--bridge=none` deletes any interface named docker0 at startup, and one that
 * manages the default bridge deletes docker0 when it exits — either would take the shared
 * engine's bridge away from every other test. In its own namespace it sees no docker0 at all.
 * `--iptables=false --ip-masq=false` keep it off the firewall too; its containers get no
 * network, which restage does not need (files go in and out through the engine's API).
 *
 * Needs root, `unshare` (util-linux) and `dockerd`; `stop()` and `destroy()` wait for the
 * processes to end, and `destroy()` removes every mount and file it made.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Docker from "dockerode";
import { execa } from "execa";

export class PrivateDocker {
  #pid: number | undefined;

  private constructor(
    /** Everything the engine owns lives here (short: socket paths are limited to 108 bytes). */
    readonly dir: string,
  ) {}

  /** `unix://…/docker.sock`, for DOCKER_HOST. */
  get host(): string {
    return `unix://${this.socket}`;
  }

  get socket(): string {
    return join(this.dir, "docker.sock");
  }

  /** A dockerode client of this engine. */
  get docker(): Docker {
    return new Docker({ socketPath: this.socket });
  }

  get log(): string {
    return join(this.dir, "dockerd.log");
  }

  /** `dataRootBytes`: put the engine's data on a tmpfs of that size (disk-full tests). */
  static async start(options: { dataRootBytes?: number } = {}): Promise<PrivateDocker> {
    const engine = new PrivateDocker(await mkdtemp("/tmp/rpd-"));
    await Promise.all(["data", "exec"].map((d) => mkdir(join(engine.dir, d))));
    try {
      if (options.dataRootBytes !== undefined) {
        const size = `size=${options.dataRootBytes}`;
        await execa("mount", ["-t", "tmpfs", "-o", size, "tmpfs", join(engine.dir, "data")]);
      }
      await engine.restart();
      return engine;
    } catch (error) {
      await engine.destroy();
      throw error;
    }
  }

  /** Whether this engine's dockerd was started and not stopped since. */
  get running(): boolean {
    return this.#pid !== undefined;
  }

  /** Starts dockerd (again, on the same data) and waits until it answers. */
  async restart(): Promise<void> {
    if (this.#pid !== undefined) throw new Error("the private dockerd is still running");
    await this.#forgetDeadContainerd();
    const log = openSync(this.log, "a");
    try {
      const child = spawn("unshare", ["--net", "--", "dockerd", ...this.#flags()], {
        detached: true,
        stdio: ["ignore", log, log],
      });
      child.unref();
      this.#pid = child.pid;
    } finally {
      closeSync(log);
    }
    await this.#waitForPing(60_000);
  }

  /** Copies an image from the shared engine (docker save | docker load), under extra tags too. */
  async loadImage(ref: string, ...tags: string[]): Promise<void> {
    const saved = await new Docker().getImage(ref).get();
    const loading = await this.docker.loadImage(saved);
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(loading, (error: Error | null) =>
        error ? reject(error) : resolve(),
      );
    });
    for (const tag of tags) {
      const [repo = tag, version = "latest"] = tag.split(/:(?=[^/:]+$)/);
      await this.docker.getImage(ref).tag({ repo, tag: version });
    }
  }

  /** Sends `signal` to dockerd and waits (up to `timeoutMs`) until it has exited. */
  async stop(signal: NodeJS.Signals = "SIGTERM", timeoutMs = 40_000): Promise<void> {
    const pid = this.#pid;
    if (pid === undefined) return;
    signalIfAlive(pid, signal);
    if (!(await waitForExit(pid, timeoutMs))) {
      signalIfAlive(pid, "SIGKILL");
      await waitForExit(pid, 10_000);
    }
    this.#pid = undefined;
  }

  /**
   * Stops everything this engine started (dockerd, its containerd, container shims: every
   * process whose command line names this directory), unmounts what is left under it and
   * removes it.
   */
  async destroy(): Promise<void> {
    await this.stop("SIGTERM");
    for (const pid of await processesNaming(this.dir)) signalIfAlive(pid, "SIGKILL");
    for (const pid of await processesNaming(this.dir)) await waitForExit(pid, 10_000);
    for (const mount of await mountsUnder(this.dir)) {
      await execa("umount", ["-l", mount], { reject: false });
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * After a SIGKILL of dockerd its managed containerd dies too (parent-death signal), but its
   * pid file stays; and where PID 1 does not reap orphans (this machine's init does not) the
   * dead containerd stays a zombie, which `kill(pid, 0)` still finds. dockerd then takes it for
   * a running containerd, dials its socket, and gives up after a timeout ("failed to start
   * containerd"). Removing the pid file of a dead or zombie containerd lets dockerd start a
   * new one, which finds the running container shims again.
   */
  async #forgetDeadContainerd(): Promise<void> {
    const pidFile = join(this.dir, "exec", "containerd", "containerd.pid");
    const pid = Number.parseInt(await readFile(pidFile, "utf8").catch(() => ""), 10);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) await rm(pidFile, { force: true });
  }

  #flags(): string[] {
    return [
      ...["--data-root", join(this.dir, "data"), "--exec-root", join(this.dir, "exec")],
      ...["--pidfile", join(this.dir, "docker.pid"), "-H", this.host],
      ...["--bridge=none", "--iptables=false", "--ip-masq=false"],
    ];
  }

  async #waitForPing(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pid = this.#pid;
      if (pid === undefined || !isAlive(pid)) {
        this.#pid = undefined;
        throw new Error(`the private dockerd exited; see ${this.log}:\n${await this.#logTail()}`);
      }
      if (
        existsSync(this.socket) &&
        (await this.docker.ping().then(
          () => true,
          () => false,
        ))
      ) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`the private dockerd did not answer within ${timeoutMs} ms`);
      }
      await sleep(250);
    }
  }

  async #logTail(): Promise<string> {
    const text = await readFile(this.log, "utf8").catch(() => "");
    return text.split("\n").slice(-15).join("\n");
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

/** A zombie has exited; only its parent has not collected it yet. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

function signalIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** Pids whose command line mentions `dir` (this engine's processes only). */
async function processesNaming(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(dir)) pids.push(Number(name));
  }
  return pids;
}

/** Mount points under `dir`, deepest first. */
async function mountsUnder(dir: string): Promise<string[]> {
  const table = await readFile("/proc/self/mountinfo", "utf8");
  const points = table
    .split("\n")
    .map((line) => line.split(" ")[4] ?? "")
    .filter((point) => point.startsWith(`${dir}/`));
  return points.sort((a, b) => b.length - a.length);
}
