/**
 * Runs the BUILT command-line tools (`dist/bin/*.js`, so `npm run build` first) as a user
 * would: separate processes, pipes, signals. Every run has a time limit and never rejects on a
 * non-zero exit: tests assert on what the user sees (exit code, stdout, stderr).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";

export type Bin = "restager" | "restage" | "build-req" | "launch-req" | "launch";

export interface CliOptions {
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed (default: no stdin at all). */
  input?: string;
  /** Kill (SIGKILL) after this long; default 120 s. */
  timeoutMs?: number;
}

export interface CliResult {
  /** undefined when the process died from a signal. */
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface CliCommand {
  bin: Bin;
  args: string[];
}

const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

/** `dist/bin/<bin>.js`; throws, naming the fix, when the build is missing. */
export function binPath(bin: Bin): string {
  const path = resolve(repoRoot, "dist", "bin", `${bin}.js`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run 'npm run build' first`);
  return path;
}

export async function runCli(
  bin: Bin,
  args: string[],
  options: CliOptions = {},
): Promise<CliResult> {
  return settle(spawn({ bin, args }, options, stdinOf(options.input)), performance.now());
}

/** `from | to`: `from`'s stdout feeds `to`'s stdin; both results are returned. */
export async function pipeCli(
  from: CliCommand,
  to: CliCommand,
  options: CliOptions = {},
): Promise<{ from: CliResult; to: CliResult }> {
  const started = performance.now();
  const source = spawn(from, options, stdinOf(options.input));
  const sink = spawn(to, options, "pipe");
  source.stdout.pipe(sink.stdin);
  const [fromResult, toResult] = await Promise.all([
    settle(source, started),
    settle(sink, started),
  ]);
  return { from: fromResult, to: toResult };
}

/** A process still running, for tests that signal it. */
export interface RunningCli {
  /** Resolves once stderr matches `pattern`; rejects after `timeoutMs` or if the process ends first. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  /** The process id (to pause it with SIGSTOP, or to find what it owns). */
  pid: number;
  result: Promise<CliResult>;
}

export function startCli(bin: Bin, args: string[], options: CliOptions = {}): RunningCli {
  const started = performance.now();
  const subprocess = spawn({ bin, args }, options, stdinOf(options.input));
  let stderr = "";
  subprocess.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    result: settle(subprocess, started),
    kill: (signal) => subprocess.kill(signal),
    pid: subprocess.pid ?? 0,
    waitForStderr: (pattern, timeoutMs = 60_000) =>
      waitFor(subprocess, () => pattern.test(stderr), {
        timeoutMs,
        describe: () => `stderr matched ${String(pattern)}:\n${stderr}`,
      }),
  };
}

/** Polls `done()` on every stderr chunk until it holds, the process exits or time runs out. */
function waitFor(
  subprocess: ReturnType<typeof spawn>,
  done: () => boolean,
  { timeoutMs, describe }: { timeoutMs: number; describe: () => string },
): Promise<void> {
  return new Promise<void>((resolvePromise, reject) => {
    const finish = (error?: Error) => {
      clearTimeout(timer);
      subprocess.stderr.off("data", check);
      subprocess.off("exit", ended);
      if (error) reject(error);
      else resolvePromise();
    };
    const check = () => {
      if (done()) finish();
    };
    const ended = () => finish(new Error(`the process ended before ${describe()}`));
    const timer = setTimeout(
      () => finish(new Error(`${timeoutMs} ms passed and nothing ${describe()}`)),
      timeoutMs,
    );
    subprocess.stderr.on("data", check);
    subprocess.once("exit", ended);
    check();
  });
}

/** How a process gets its stdin: written text, a pipe the caller feeds, or nothing. */
type Stdin = { input: string } | "pipe" | "ignore";

function stdinOf(input: string | undefined): Stdin {
  return input === undefined ? "ignore" : { input };
}

function spawn(command: CliCommand, options: CliOptions, stdin: Stdin) {
  return execa(process.execPath, [binPath(command.bin), ...command.args], {
    cwd: options.cwd ?? repoRoot,
    env: { NO_COLOR: "1", ...options.env },
    reject: false,
    timeout: options.timeoutMs ?? 120_000,
    killSignal: "SIGKILL",
    stripFinalNewline: false,
    ...(typeof stdin === "string" ? { stdin } : stdin),
  });
}

async function settle(subprocess: ResultPromise, started: number): Promise<CliResult> {
  const result = await subprocess;
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: String(result.stdout ?? ""),
    stderr: String(result.stderr ?? ""),
    durationMs: performance.now() - started,
    timedOut: result.timedOut,
  };
}
