/** Runs a child process to completion, timing it and keeping its output (stderr: the tail only). */
import { spawn } from "node:child_process";

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last 64 KiB of stderr. */
  stderr: string;
  wallMs: number;
}

export interface RunProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kills the child (TERM) when aborted. */
  signal?: AbortSignal;
  /** Also copies the child's stderr to ours (BENCH_VERBOSE=1). */
  echoStderr?: boolean;
  /** Told the child's pid once it runs. */
  onSpawn?: (pid: number) => void;
}

const stderrTailBytes = 64 * 1024;

export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    let stderr = Buffer.alloc(0);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      if (options.echoStderr) process.stderr.write(chunk);
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > stderrTailBytes) stderr = stderr.subarray(-stderrTailBytes);
    });
    const kill = (): void => void child.kill("SIGTERM");
    options.signal?.addEventListener("abort", kill, { once: true });
    child.once("spawn", () => child.pid !== undefined && options.onSpawn?.(child.pid));
    child.once("error", (error) => {
      options.signal?.removeEventListener("abort", kill);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.once("close", (exitCode, signal) => {
      options.signal?.removeEventListener("abort", kill);
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: stderr.toString("utf8"),
        wallMs: performance.now() - started,
      });
    });
  });
}

/** Throws with the command's stderr tail unless it exited 0. */
export function checkSuccess(what: string, result: ProcessResult): ProcessResult {
  if (result.exitCode === 0) return result;
  const how = result.signal ? `was killed by ${result.signal}` : `exited with ${result.exitCode}`;
  throw new Error(`${what} ${how}:\n${result.stderr.trimEnd()}`);
}
