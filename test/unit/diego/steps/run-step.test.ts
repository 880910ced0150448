import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CancelledError } from "../../../../src/errors.js";
import { fakeStepWorld } from "../../../kit/fake-ports.js";
import type { RunAction } from "../../../../src/diego/actions.js";
import { RunStep } from "../../../../src/diego/steps/run-step.js";
import { ProcessExitedError } from "../../../../src/diego/steps/step-errors.js";
import { TimeoutStep } from "../../../../src/diego/steps/timeout-step.js";

const BUILDER = "/tmp/lifecycle/builder";

function runAction(overrides: Partial<RunAction> = {}): RunAction {
  return {
    kind: "run",
    path: BUILDER,
    args: ["-buildpackOrder=nodejs_buildpack"],
    env: [{ name: "LANG", value: "en_US.UTF-8" }],
    resourceLimits: { nofile: 1024 },
    user: "vcap",
    suppressLogOutput: false,
    ...overrides,
  };
}

const never = () => new Promise<number>(() => undefined);

describe("RunStep", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("builds the process spec from the action and the context's extra env", async () => {
    const world = fakeStepWorld({ extraEnv: [{ name: "CF_INSTANCE_IP", value: "10.0.0.1" }] });
    world.container.onExec(BUILDER, () => 0);
    await new RunStep(runAction(), world.ctx).run(new AbortController().signal);
    expect(world.container.execs[0]?.spec).toEqual({
      path: BUILDER,
      args: ["-buildpackOrder=nodejs_buildpack"],
      env: ["LANG=en_US.UTF-8", "CF_INSTANCE_IP=10.0.0.1"],
      user: "vcap",
      dir: undefined,
      nofile: 1024,
    });
  });

  it("streams output line by line, keeping partial lines across chunks", async () => {
    const world = fakeStepWorld();
    world.container.onExec(BUILDER, ({ io }) => {
      io.stdout(Buffer.from("-----> Node"));
      io.stdout(Buffer.from("js Buildpack\n       Installing\nno"));
      io.stderr(Buffer.from("warn: old npm\n"));
      const euro = Buffer.from("price €\n");
      io.stdout(euro.subarray(0, 8));
      io.stdout(euro.subarray(8));
      io.stdout(Buffer.from("trailing"));
      return 0;
    });
    await new RunStep(runAction(), world.ctx).run(new AbortController().signal);
    expect(world.log.transcript()).toEqual([
      "[STG] OUT -----> Nodejs Buildpack",
      "[STG] OUT        Installing",
      "[STG] ERR warn: old npm",
      "[STG] OUT noprice €",
      "[STG] OUT trailing",
      "[STG] OUT Exit status 0",
    ]);
  });

  it("run fails with '<source>: Exited with status N' and exposes the exit status", async () => {
    const world = fakeStepWorld();
    const log = world.log.withSource("APP/TASK/migrate");
    world.container.onExec(BUILDER, () => 223);
    const error = await new RunStep(runAction(), { ...world.ctx, taskLog: log })
      .run(new AbortController().signal)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessExitedError);
    expect((error as ProcessExitedError).message).toBe("APP/TASK/migrate: Exited with status 223");
    expect((error as ProcessExitedError).exitStatus).toBe(223);
    expect(world.log.transcript()).toEqual(["[APP/TASK/migrate] OUT Exit status 223"]);
  });

  it("run appends ' (out of memory)' when the container reported an OOM kill", async () => {
    const world = fakeStepWorld();
    world.container.oomKilled = true;
    world.container.onExec(BUILDER, () => 137);
    await expect(
      new RunStep(runAction(), world.ctx).run(new AbortController().signal),
    ).rejects.toThrow(/^STG: Exited with status 137 \(out of memory\)$/);
    expect(world.log.lines("out")).toEqual(["Exit status 137 (out of memory)"]);
  });

  it("suppressLogOutput discards the output and the exit status line", async () => {
    const world = fakeStepWorld();
    world.container.onExec(BUILDER, ({ io }) => {
      io.stdout(Buffer.from("secret\n"));
      return 3;
    });
    const step = new RunStep(runAction({ suppressLogOutput: true }), world.ctx);
    await expect(step.run(new AbortController().signal)).rejects.toThrow(
      "STG: Exited with status 3",
    );
    expect(world.log.entries).toEqual([]);
  });

  it("on abort sends TERM, then KILL after the grace period, and rejects with the cancellation", async () => {
    const world = fakeStepWorld();
    world.container.onExec(BUILDER, never);
    const controller = new AbortController();
    const outcome = new RunStep(runAction(), world.ctx)
      .run(controller.signal)
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    const startedAt = Date.now();
    controller.abort(new CancelledError());
    await vi.advanceTimersByTimeAsync(9_999);
    const exec = world.container.execs[0];
    expect(exec?.signals.map((s) => s.signal)).toEqual(["TERM"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exec?.signals).toEqual([
      { signal: "TERM", atMs: startedAt },
      { signal: "KILL", atMs: startedAt + 10_000 },
    ]);
    expect(await outcome).toBeInstanceOf(CancelledError);
    expect(world.log.lines("out")).toEqual([
      "Exit status 137 (exceeded 10s graceful shutdown interval)",
    ]);
  });

  it("a process that exits on TERM is not killed", async () => {
    const world = fakeStepWorld();
    world.container.onExec(
      BUILDER,
      ({ signal }) =>
        new Promise((resolve) => signal.addEventListener("abort", () => resolve(143))),
    );
    const controller = new AbortController();
    const outcome = new RunStep(runAction(), world.ctx)
      .run(controller.signal)
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    controller.abort(new CancelledError());
    expect(await outcome).toBeInstanceOf(CancelledError);
    expect(world.container.execs[0]?.signals.map((s) => s.signal)).toEqual(["TERM"]);
    expect(world.log.lines("out")).toEqual(["Exit status 143"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("gives up after the exit timeout when KILL does not end the process", async () => {
    const world = fakeStepWorld();
    world.container.onExec(BUILDER, never, { ignoreKill: true });
    const controller = new AbortController();
    let settled = false;
    const outcome = new RunStep(runAction(), world.ctx)
      .run(controller.signal)
      .catch((e: unknown) => e)
      .finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    controller.abort(new CancelledError());
    await vi.advanceTimersByTimeAsync(10_000 + 999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toBeInstanceOf(CancelledError);
    expect(world.debug.map((d) => d.event)).toContain("process-did-not-exit");
    expect(world.log.entries).toEqual([]);
  });

  it("under a timeout, the timeout's message comes out (the run step rejects with its reason)", async () => {
    const world = fakeStepWorld();
    world.container.onExec(
      BUILDER,
      ({ signal }) =>
        new Promise((resolve) => signal.addEventListener("abort", () => resolve(143))),
    );
    const step = new TimeoutStep(new RunStep(runAction(), world.ctx), 900_000);
    const outcome = step.run(new AbortController().signal).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(900_000);
    expect(((await outcome) as Error).message).toBe("exceeded 15m0s timeout");
  });

  it("a process that cannot start writes failed-creating-process and rethrows", async () => {
    const world = fakeStepWorld();
    const failure = new Error("unable to find user bob");
    world.container.execError = failure;
    await expect(
      new RunStep(runAction(), world.ctx).run(new AbortController().signal),
    ).rejects.toBe(failure);
    expect(world.log.lines("out")).toEqual(["failed-creating-process: unable to find user bob"]);
  });

  it("starts nothing when the signal already aborted", async () => {
    const world = fakeStepWorld();
    const controller = new AbortController();
    controller.abort(new CancelledError());
    await expect(new RunStep(runAction(), world.ctx).run(controller.signal)).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(world.container.execs).toEqual([]);
  });
});
