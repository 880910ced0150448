import { afterEach, describe, expect, it, vi } from "vitest";
import { CancelledError, ExitCode, RestagerError } from "../../../../src/errors.js";
import { fakeStepWorld } from "../../../kit/fake-ports.js";
import type { Action } from "../../../../src/diego/actions.js";
import {
  appPackageDownload,
  builderRun as builder,
  emitProgress,
  uploadAction,
} from "../../../kit/actions.js";
import { runTaskAction } from "../../../../src/diego/steps/run-task.js";
import { findExitStatus, findStepError } from "../../../../src/diego/steps/step-errors.js";

/** The shape of a CC staging task: timeout(serial(download, emit_progress(run), parallel(upload))). */
function stagingTask(timeoutMs = 900_000): Action {
  return {
    kind: "timeout",
    timeoutMs,
    action: {
      kind: "serial",
      actions: [
        appPackageDownload,
        emitProgress(builder, { failureMessagePrefix: "Failed to compile droplet" }),
        emitProgress(
          { kind: "parallel", actions: [uploadAction("droplet")] },
          {
            startMessage: "Uploading droplet, build artifacts cache...",
            successMessage: "Uploading complete",
            failureMessagePrefix: "Uploading failed",
          },
        ),
      ],
    },
  };
}

function stagingWorld(builderStatus: number | "hang") {
  const world = fakeStepWorld();
  world.downloader.serve("http://bits/app", { entries: [{ path: "server.js", type: "File" }] });
  world.container.onExec(builder.path, ({ signal }) =>
    builderStatus === "hang"
      ? new Promise((resolve) => signal.addEventListener("abort", () => resolve(143)))
      : builderStatus,
  );
  world.container.writeFile("/tmp/droplet", "droplet");
  return world;
}

/** Fakes only the timers the steps use, so real file I/O and setImmediate still progress. */
const useFakeTimers = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });

async function builderStarted(world: ReturnType<typeof fakeStepWorld>) {
  while (world.container.execs.length === 0) await new Promise((r) => setImmediate(r));
}

describe("runTaskAction", () => {
  afterEach(() => vi.useRealTimers());

  it("reports success with an empty failure reason", async () => {
    const world = stagingWorld(0);
    const result = await runTaskAction(stagingTask(), world.ctx, new AbortController().signal);
    expect(result).toEqual({ failed: false, failureReason: "" });
    expect(world.log.lines("out")).toContain("Uploading complete");
  });

  it("a builder failure is the failure reason, with its exit status recoverable", async () => {
    const world = stagingWorld(223);
    const result = await runTaskAction(stagingTask(), world.ctx, new AbortController().signal);
    expect(result).toMatchObject({ failed: true, failureReason: "STG: Exited with status 223" });
    expect(findExitStatus(result.error)).toBe(223);
    expect(world.log.lines("err")).toEqual([
      "Failed to compile droplet: STG: Exited with status 223",
    ]);
  });

  it("a timeout is reported as Diego does: 'exceeded 15m0s timeout'", async () => {
    useFakeTimers();
    const world = stagingWorld("hang");
    const pending = runTaskAction(stagingTask(), world.ctx, new AbortController().signal);
    await builderStarted(world);
    await vi.advanceTimersByTimeAsync(900_000);
    const result = await pending;
    expect(result).toMatchObject({ failed: true, failureReason: "exceeded 15m0s timeout" });
    expect(world.log.lines("err")).toEqual(["Failed to compile droplet"]);
    expect(world.container.execs[0]?.signals.map((s) => s.signal)).toEqual(["TERM"]);
  });

  it("an upload failure keeps its exit code behind the parallel aggregate", async () => {
    const world = stagingWorld(0);
    world.uploader.failNext = new RestagerError(
      "Upload failed: Status code 500",
      ExitCode.uploadFailed,
    );
    const result = await runTaskAction(stagingTask(), world.ctx, new AbortController().signal);
    // The executor's upload step returns the uploader's error unchanged.
    expect(result.failureReason).toBe("Upload failed: Status code 500");
    const coded = findStepError(
      result.error,
      (e): e is RestagerError => e instanceof RestagerError,
    );
    expect(coded?.exitCode).toBe(ExitCode.uploadFailed);
    expect(world.log.lines("err")).toEqual([
      "Failed to upload payload for droplet",
      "Uploading failed",
    ]);
  });

  it("cancellation propagates as CancelledError, not as a failed result", async () => {
    useFakeTimers();
    const world = stagingWorld("hang");
    const controller = new AbortController();
    const pending = runTaskAction(stagingTask(), world.ctx, controller.signal).catch(
      (e: unknown) => e,
    );
    await builderStarted(world);
    controller.abort(new CancelledError());
    expect(await pending).toBeInstanceOf(CancelledError);
  });
});
