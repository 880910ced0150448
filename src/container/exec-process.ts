/**
 * One process started with Docker exec, seen through the ExecProcess port. Kept free of
 * dockerode so it can be tested with an in-memory stream (the engine side is ExecHandle).
 */
import { finished, type Duplex } from "node:stream";
import type { RestagerError } from "../errors.js";
import type { ExecProcess, ProcessIO } from "./container.js";
import { DockerFrames } from "./docker-frames.js";
import { PidLine } from "./pid-line.js";

export interface ExecState {
  running: boolean;
  exitCode: number | null;
}

export interface ExecHandle {
  inspect(): Promise<ExecState>;
}

export interface ExecProcessOptions {
  /** The first stderr line is the wrapper's PID (exec-wrapper.ts). */
  readsPid: boolean;
  /** Delivers a signal to a PID inside the container; absent = signal() is a no-op. */
  kill?: ((pid: number, signal: "TERM" | "KILL") => Promise<void>) | undefined;
  /** The caller's cancellation; see the constructor. */
  signal?: AbortSignal | undefined;
  toError: (error: unknown, what: string) => RestagerError;
  /** How long the engine may hold the stream open after the process died (Docker: 2 s). */
  streamGraceMs?: number | undefined;
}

const pollStartMs = 20;
const pollMaxMs = 500;
const deathPollMs = 250;

export class DockerExecProcess implements ExecProcess {
  private readonly exit: Promise<number>;
  private readonly pid: Promise<number | undefined>;
  private exitCode: number | undefined;
  private streamEnded = false;
  private readonly exec: ExecHandle;
  private readonly stream: Duplex;

  /**
   * Output is delivered as it arrives. wait() settles once the stream ended (all output was
   * delivered) and exec inspect reports an exit code; the stream can end earlier than the
   * process (it closed its stdio), so the code is polled for.
   *
   * The abort signal never kills anything (the run step drives TERM → KILL through signal()).
   * It only arms a safety net: once the process is seen dead, the stream is given a grace
   * period and then cut, so wait() settles even if a leftover child holds the pipes open.
   */
  constructor(
    started: { handle: ExecHandle; stream: Duplex },
    io: ProcessIO,
    private readonly options: ExecProcessOptions,
  ) {
    this.exec = started.handle;
    this.stream = started.stream;
    const pidLine = options.readsPid ? new PidLine() : undefined;
    const frames = new DockerFrames({
      stdout: (chunk) => io.stdout(chunk),
      stderr: (chunk) => {
        const rest = pidLine ? pidLine.push(chunk) : chunk;
        if (rest.length > 0) io.stderr(rest);
      },
    });
    started.stream.on("data", (chunk: Buffer) => frames.push(chunk));
    const streamDone = new Promise<void>((resolve) => {
      finished(started.stream, { writable: false }, () => resolve());
    }).then(() => {
      this.streamEnded = true;
      const held = pidLine?.finish();
      if (held && held.length > 0) io.stderr(held);
    });
    this.pid = pidLine
      ? streamUntilPid(started.stream, pidLine, streamDone)
      : Promise.resolve(undefined);
    this.exit = streamDone.then(() => this.pollExitCode());
    this.exit.then(
      (code) => (this.exitCode = code),
      () => undefined,
    );
    this.armSafetyNet(streamDone);
  }

  wait(): Promise<number> {
    return this.exit;
  }

  /**
   * Sends `signal` with a second exec. A process that already exited is left alone, which
   * also keeps a recycled PID from being hit.
   */
  async signal(signal: "TERM" | "KILL"): Promise<void> {
    if (this.exitCode !== undefined || !this.options.kill) return;
    const pid = await this.pid;
    if (pid === undefined || this.exitCode !== undefined) return;
    await this.options.kill(pid, signal);
  }

  private async pollExitCode(): Promise<number> {
    let delay = pollStartMs;
    for (;;) {
      const state = await this.inspect();
      if (!state.running && state.exitCode !== null) return state.exitCode;
      await sleep(delay, true);
      delay = Math.min(delay * 2, pollMaxMs);
    }
  }

  private async inspect(): Promise<ExecState> {
    try {
      return await this.exec.inspect();
    } catch (error) {
      throw this.options.toError(error, "read the state of a process");
    }
  }

  private armSafetyNet(streamDone: Promise<void>): void {
    const signal = this.options.signal;
    if (!signal) return;
    const onAbort = (): void => void this.cutStreamAfterDeath();
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    void streamDone.then(() => signal.removeEventListener("abort", onAbort));
  }

  private async cutStreamAfterDeath(): Promise<void> {
    while (!this.streamEnded) {
      const state = await this.exec.inspect().catch(() => undefined);
      if (!state?.running) break;
      await sleep(deathPollMs);
    }
    if (this.streamEnded) return;
    await sleep(this.options.streamGraceMs ?? 3000);
    if (!this.streamEnded) this.stream.destroy();
  }
}

/** Resolves with the PID as soon as its line was read, or undefined when the stream ended. */
function streamUntilPid(
  stream: Duplex,
  pidLine: PidLine,
  streamDone: Promise<void>,
): Promise<number | undefined> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (pidLine.pid === undefined) return;
      stream.off("data", check);
      resolve(pidLine.pid);
    };
    // Registered after the demultiplexer's listener, so the line is parsed when this runs.
    stream.on("data", check);
    void streamDone.then(() => {
      stream.off("data", check);
      resolve(pidLine.pid);
    });
  });
}

/** `keepAlive` = false for timers that must not hold the process open on their own. */
function sleep(ms: number, keepAlive = false): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (!keepAlive) timer.unref();
  });
}
