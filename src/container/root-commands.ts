/**
 * Short helper commands run as root in a container with a separate exec: creating
 * directories, probing paths, delivering signals. Each collects its (capped) output.
 */
import type Docker from "dockerode";
import type { RestagerError } from "../errors.js";
import { statusCodeOf } from "./docker-errors.js";
import { DockerExecProcess } from "./exec-process.js";
import { oomKillsScript, parseOomKills } from "./oom-kills.js";
import { startExec } from "./start-exec.js";

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type ToError = (error: unknown, what: string, signal?: AbortSignal) => RestagerError;

/** These commands print a line or two; anything beyond this is dropped. */
const maxOutputBytes = 64 * 1024;

/**
 * Creates the missing components of absolute path `$1`, each mode 0755 and owned by `$2`
 * (uid:gid), as Guardian's MkdirAs does for a process's working directory.
 */
const ensureDirScript = [
  "set -f; IFS=/; p=",
  'for c in $1; do [ -n "$c" ] || continue; p="$p/$c"; [ -d "$p" ] && continue',
  'mkdir -m 755 -- "$p" && chown -- "$2" "$p" || exit 1; done',
].join("\n");
/** A process that is already gone is not an error. */
const killScript = `kill -s "$1" "$2" 2>/dev/null; exit 0`;

export class RootCommands {
  constructor(
    private readonly container: Docker.Container,
    private readonly toError: ToError,
  ) {}

  /** `mkdir -p` as root (owned by root, like Docker's own extraction target). */
  makeDir(path: string, signal?: AbortSignal): Promise<CommandResult> {
    return this.run(["mkdir", "-p", "--", path], `create ${path}`, signal);
  }

  /** Creates `path` owned by uid:gid when it does not exist yet. */
  ensureOwnedDir(path: string, owner: string, signal?: AbortSignal): Promise<CommandResult> {
    return this.run(
      ["/bin/sh", "-c", ensureDirScript, "sh", path, owner],
      `create ${path}`,
      signal,
    );
  }

  async isDir(path: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.run(["test", "-d", path], `look for ${path}`, signal)).exitCode === 0;
  }

  async kill(pid: number, signal: "TERM" | "KILL"): Promise<void> {
    try {
      await this.run(["/bin/sh", "-c", killScript, "kill", signal, String(pid)], `send ${signal}`);
    } catch (error) {
      // The container is stopped or gone, and so is the process.
      const cause = error instanceof Error ? error.cause : undefined;
      const status = statusCodeOf(cause);
      if (status === 404 || status === 409) return;
      throw error;
    }
  }

  /** OOM kills the kernel counted in the container's memory cgroup; undefined = unknown. */
  async oomKills(): Promise<number | undefined> {
    const result = await this.run(["/bin/sh", "-c", oomKillsScript], "read the OOM kill count");
    return result.exitCode === 0 ? parseOomKills(result.stdout) : undefined;
  }

  async run(argv: string[], what: string, signal?: AbortSignal): Promise<CommandResult> {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    const keep = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxOutputBytes) into.push(chunk);
    };
    const toError = (error: unknown, doing: string) => this.toError(error, doing, signal);
    let started;
    try {
      started = await startExec(
        this.container,
        { cmd: argv, user: "root", workingDir: "/" },
        signal,
      );
    } catch (error) {
      throw toError(error, what);
    }
    const process = new DockerExecProcess(
      started,
      { stdout: keep(stdout), stderr: keep(stderr) },
      { readsPid: false, toError },
    );
    return {
      exitCode: await process.wait(),
      stdout: Buffer.concat(stdout).toString("utf8"),
      stderr: Buffer.concat(stderr).toString("utf8").trim(),
    };
  }
}
