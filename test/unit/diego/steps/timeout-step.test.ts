import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CancelledError } from "../../../../src/errors.js";
import { FakeStep } from "../../../kit/fake-step.js";
import { EmittableError, TimeoutCancelledError } from "../../../../src/diego/steps/step-errors.js";
import { TimeoutStep } from "../../../../src/diego/steps/timeout-step.js";

const FIFTEEN_MINUTES = 15 * 60 * 1000;

describe("TimeoutStep", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("timeout aborts the child when the timer fires and fails with 'exceeded 15m0s timeout'", async () => {
    const child = new FakeStep();
    const running = new TimeoutStep(child, FIFTEEN_MINUTES).run(new AbortController().signal);
    const outcome = running.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(FIFTEEN_MINUTES - 1);
    expect(child.wasAborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(child.wasAborted).toBe(true);
    expect(child.abortReason).toBeInstanceOf(TimeoutCancelledError);
    const error = await outcome;
    expect(error).toBeInstanceOf(EmittableError);
    expect((error as Error).message).toBe("exceeded 15m0s timeout");
  });

  it("timeout waits for the aborted child and appends its emittable message", async () => {
    const child = new FakeStep("child", "ignore");
    let settled = false;
    const running = new TimeoutStep(child, 1_500).run(new AbortController().signal);
    const outcome = running.catch((e: unknown) => e).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(1_500);
    expect(child.wasAborted).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(settled).toBe(false);
    const inner = new EmittableError("STG: Exited with status 223");
    child.fail(inner);
    const error = await outcome;
    expect((error as Error).message).toBe("exceeded 1.5s timeout; STG: Exited with status 223");
    expect((error as Error).cause).toBe(inner);
  });

  it("timeout does not append a non-emittable inner message", async () => {
    const child = new FakeStep("child", "ignore");
    const outcome = new TimeoutStep(child, 3_600_000)
      .run(new AbortController().signal)
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(3_600_000);
    child.fail(new Error("Upload failed: Status code 500"));
    expect(((await outcome) as Error).message).toBe("exceeded 1h0m0s timeout");
  });

  it("reports the timeout even when the aborted child then succeeds", async () => {
    const child = new FakeStep("child", "resolve");
    const outcome = new TimeoutStep(child, 500)
      .run(new AbortController().signal)
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(((await outcome) as Error).message).toBe("exceeded 500ms timeout");
  });

  it("a child finishing in time wins, and the timer is cleared", async () => {
    const ok = new FakeStep("ok");
    const running = new TimeoutStep(ok, 1_000).run(new AbortController().signal);
    await vi.advanceTimersByTimeAsync(999);
    ok.succeed();
    await expect(running).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);

    const failing = new FakeStep("failing");
    const failure = new EmittableError("Downloading droplet failed");
    const failed = new TimeoutStep(failing, 1_000).run(new AbortController().signal);
    await vi.advanceTimersByTimeAsync(10);
    failing.fail(failure);
    await expect(failed).rejects.toBe(failure);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("an outside abort is a cancellation, not a timeout", async () => {
    const child = new FakeStep();
    const controller = new AbortController();
    const running = new TimeoutStep(child, 1_000).run(controller.signal);
    await vi.advanceTimersByTimeAsync(10);
    const reason = new CancelledError();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(child.abortReason).toBe(reason);
  });
});
