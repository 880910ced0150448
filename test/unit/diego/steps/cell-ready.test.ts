import { describe, expect, it } from "vitest";
import { CancelledError } from "../../../../src/errors.js";
import type { Action } from "../../../../src/diego/actions.js";
import { runTaskAction } from "../../../../src/diego/steps/run-task.js";
import { appPackageDownload, builderRun as builder, uploadAction } from "../../../kit/actions.js";
import { fakeStepWorld } from "../../../kit/fake-ports.js";

/** download, run, upload: the order of a staging task. */
const task: Action = {
  kind: "serial",
  actions: [appPackageDownload, builder, uploadAction("droplet")],
};

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // As restage() does: the rejection is read by the steps that wait, whenever they do.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

function worldWaitingFor(cellReady: Promise<void>) {
  const world = fakeStepWorld({ cellReady });
  world.downloader.serve("http://bits/app", { entries: [{ path: "server.js", type: "File" }] });
  world.container.onExec(builder.path, () => 0);
  world.container.writeFile("/tmp/droplet", "droplet");
  return world;
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("StepContext.cellReady (the cell's files put in while the setup downloads)", () => {
  it("downloads stream in at once; the run and upload steps wait until the cell is ready", async () => {
    const cell = deferred();
    const world = worldWaitingFor(cell.promise);
    const pending = runTaskAction(task, world.ctx, new AbortController().signal);
    await expect
      .poll(() => world.container.streamIns.map((streamIn) => streamIn.path))
      .toEqual(["/tmp/app"]);
    await settle();
    expect(world.container.execs).toEqual([]);
    expect(world.uploader.uploads).toEqual([]);
    cell.resolve();
    expect(await pending).toEqual({ failed: false, failureReason: "" });
    expect(world.container.execs.map((exec) => exec.spec.path)).toEqual([builder.path]);
    expect(world.uploader.uploads.map((upload) => upload.url)).toEqual(["http://up/droplet"]);
  });

  it("a cell that fails fails the run step with its error: no process is started", async () => {
    const cell = deferred();
    const world = worldWaitingFor(cell.promise);
    const pending = runTaskAction(task, world.ctx, new AbortController().signal);
    await settle();
    cell.reject(new Error("the identity could not be issued"));
    const result = await pending;
    expect(result).toMatchObject({
      failed: true,
      failureReason: "the identity could not be issued",
    });
    expect(world.container.execs).toEqual([]);
    expect(world.uploader.uploads).toEqual([]);
  });

  it("a timeout action starts (and its clock with it) only once the cell is ready", async () => {
    const cell = deferred();
    const world = worldWaitingFor(cell.promise);
    const timed: Action = { kind: "timeout", timeoutMs: 60_000, action: task };
    const pending = runTaskAction(timed, world.ctx, new AbortController().signal);
    await settle();
    expect(world.container.streamIns).toEqual([]);
    expect(world.log.lines("out")).toEqual([]);
    cell.resolve();
    expect(await pending).toEqual({ failed: false, failureReason: "" });
    expect(world.container.streamIns.map((streamIn) => streamIn.path)).toEqual(["/tmp/app"]);
  });

  it("a cancellation while waiting rejects with CancelledError", async () => {
    const world = worldWaitingFor(new Promise<void>(() => undefined));
    const controller = new AbortController();
    const pending = runTaskAction(task, world.ctx, controller.signal).catch((e: unknown) => e);
    await settle();
    controller.abort(new CancelledError("interrupted"));
    expect(await pending).toBeInstanceOf(CancelledError);
    expect(world.container.execs).toEqual([]);
  });
});
