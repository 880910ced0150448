/**
 * Runs one shell pipeline (`bash -o pipefail -c`), streaming its stderr line by line as it
 * comes and collecting its stdout. The pipeline runs in its own process group so that an abort
 * (Ctrl-C, SIGTERM) reaches every process in it, as Ctrl-C would in a terminal; restager then
 * removes its containers and exits 130.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ShellOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Called with each stderr line, without its newline, while the pipeline runs. */
  onStderrLine: (line: string) => void;
}

export interface ShellResult {
  exitCode: number;
  stdout: string;
}

export function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  const child = spawn("bash", ["-o", "pipefail", "-c", command], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const interrupt = () => signalGroup(child.pid, "SIGINT");
  options.signal.addEventListener("abort", interrupt, { once: true });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const lines = createInterface({ input: child.stderr, crlfDelay: Infinity });
  lines.on("line", options.onStderrLine);
  const stderrDone = new Promise<void>((resolve) => lines.once("close", resolve));
  return new Promise<ShellResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      options.signal.removeEventListener("abort", interrupt);
      void stderrDone.then(() => resolve({ exitCode: code ?? exitCodeOf(signal), stdout }));
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group already ended.
  }
}

/** A process killed by a signal exits 128 + the signal number, as a shell reports it. */
function exitCodeOf(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return 128 + ((signal && numbers[signal]) ?? 0);
}
