import type { ExecProcess, ProcessIO, ProcessSpec } from "../../container/container.js";
import type { RunAction } from "../actions.js";
import { messages } from "../messages.js";
import { untilCellReady } from "./cell-ready.js";
import { LineSplitter } from "./line-splitter.js";
import type { StepContext } from "./step-context.js";
import type { Step } from "./step.js";
import { errorMessage, ProcessExitedError } from "./step-errors.js";
import { waitUntil } from "./wait-until.js";
import { cancellation, throwIfCancelled } from "../../core/cancellation.js";

interface Ending {
  status: number;
  /** Set when KILL was needed: the grace period that TERM did not meet. */
  killedAfterMs?: number;
}

/**
 * Diego's run action: runs a process in the container as `user`, streaming its stdout/stderr
 * line by line to the TaskLog (or nowhere with suppressLogOutput).
 *
 * When the process ends, `Exit status N` goes to stdout (Diego writes it for 0 too). Non-zero
 * fails with ProcessExitedError `<source>: Exited with status N`, plus ` (out of memory)` when
 * the container reported an OOM kill; its `exitStatus` lets callers map builder exit codes.
 *
 * On abort: TERM, then KILL after settings.gracePeriodMs, then give up after
 * settings.exitTimeoutMs. The step rejects with the signal's cancellation (a timeout's reason
 * included), so an enclosing timeout step reports `exceeded <duration> timeout`.
 */
export class RunStep implements Step {
  constructor(
    private readonly action: RunAction,
    private readonly ctx: StepContext,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    throwIfCancelled(signal);
    await untilCellReady(this.ctx, signal);
    const stdout = new LineSplitter((line) => this.ctx.taskLog.out(line));
    const stderr = new LineSplitter((line) => this.ctx.taskLog.err(line));
    const flush = () => {
      stdout.flush();
      stderr.flush();
    };
    const io: ProcessIO = this.action.suppressLogOutput
      ? { stdout: () => undefined, stderr: () => undefined }
      : { stdout: (chunk) => stdout.write(chunk), stderr: (chunk) => stderr.write(chunk) };
    const proc = await this.start(io, signal);
    try {
      await this.supervise(proc, signal, flush);
    } catch (error) {
      if (signal.aborted) throw cancellation(signal);
      throw error;
    } finally {
      flush();
    }
  }

  /** The port only lets the signal guard the start; a started process is stopped by TERM/KILL. */
  private async start(io: ProcessIO, signal: AbortSignal): Promise<ExecProcess> {
    try {
      return await this.ctx.container.exec(this.processSpec(), io, { signal });
    } catch (error) {
      if (signal.aborted) throw cancellation(signal);
      this.ctx.logger.debug("failed-creating-process", { error: errorMessage(error) });
      this.writeOut(messages.failedCreatingProcess(errorMessage(error)));
      throw error;
    }
  }

  private async supervise(
    proc: ExecProcess,
    signal: AbortSignal,
    flush: () => void,
  ): Promise<void> {
    const exit = proc.wait();
    const outcome = await waitUntil(exit, { signal });
    if (outcome.kind === "settled") {
      flush();
      return this.exited({ status: outcome.value });
    }
    const ending = await this.terminate(proc, exit);
    flush();
    // The exit line is still written, but the result is the cancellation, not the exit status.
    if (ending) await this.exited(ending).catch(() => undefined);
    throw cancellation(signal);
  }

  /** TERM, grace period, KILL, exit timeout; undefined when the process never ended. */
  private async terminate(proc: ExecProcess, exit: Promise<number>): Promise<Ending | undefined> {
    const { gracePeriodMs, exitTimeoutMs } = this.ctx.settings;
    await this.deliver(proc, "TERM");
    const graceful = await waitUntil(exit, { timeoutMs: gracePeriodMs });
    if (graceful.kind === "settled") return { status: graceful.value };
    await this.deliver(proc, "KILL");
    const killed = await waitUntil(exit, { timeoutMs: exitTimeoutMs });
    if (killed.kind === "settled") return { status: killed.value, killedAfterMs: gracePeriodMs };
    this.ctx.logger.debug("process-did-not-exit", { path: this.action.path, exitTimeoutMs });
    return undefined;
  }

  private async deliver(proc: ExecProcess, signal: "TERM" | "KILL"): Promise<void> {
    this.ctx.logger.debug("signalling-process", { path: this.action.path, signal });
    await proc.signal(signal).catch((error: unknown) => {
      this.ctx.logger.debug("signalling-process-failed", { signal, error: errorMessage(error) });
    });
  }

  /** Writes `Exit status N[...]`; fails for a non-zero status. */
  private async exited(ending: Ending): Promise<void> {
    const { status, killedAfterMs } = ending;
    const outOfMemory = status !== 0 && (await this.wasOomKilled());
    const details = killedAfterMs === undefined ? { outOfMemory } : { outOfMemory, killedAfterMs };
    this.writeOut(messages.exitStatus(status, details));
    if (status !== 0) throw new ProcessExitedError(this.ctx.taskLog.source, status, outOfMemory);
  }

  private async wasOomKilled(): Promise<boolean> {
    try {
      return await this.ctx.container.wasOomKilled();
    } catch (error) {
      this.ctx.logger.debug("failed-to-get-info", { error: errorMessage(error) });
      return false;
    }
  }

  private writeOut(line: string): void {
    if (!this.action.suppressLogOutput) this.ctx.taskLog.out(line);
  }

  private processSpec(): ProcessSpec {
    const { path, args, env, user, dir, resourceLimits } = this.action;
    return {
      path,
      args,
      env: [...env, ...(this.ctx.extraEnv ?? [])].map(({ name, value }) => `${name}=${value}`),
      user,
      dir: dir === "" ? undefined : dir,
      nofile: resourceLimits.nofile,
    };
  }
}
