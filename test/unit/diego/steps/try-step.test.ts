import { describe, expect, it } from "vitest";
import { CancelledError } from "../../../../src/errors.js";
import { FakeStep } from "../../../kit/fake-step.js";
import { EmittableError } from "../../../../src/diego/steps/step-errors.js";
import { TryStep } from "../../../../src/diego/steps/try-step.js";

const settle = () => new Promise((resolve) => setImmediate(resolve));

function recordingLogger() {
  const events: { event: string; data: Record<string, unknown> | undefined }[] = [];
  return {
    events,
    debug: (event: string, data?: Record<string, unknown>) => events.push({ event, data }),
  };
}

describe("TryStep", () => {
  it("try swallows failures and logs them", async () => {
    const child = new FakeStep();
    const logger = recordingLogger();
    const running = new TryStep(child, logger).run(new AbortController().signal);
    await settle();
    child.fail(new EmittableError("Downloading build artifacts cache failed"));
    await expect(running).resolves.toBeUndefined();
    expect(logger.events).toEqual([
      { event: "try-step-failed", data: { error: "Downloading build artifacts cache failed" } },
    ]);
  });

  it("passes a success through", async () => {
    const child = new FakeStep();
    const running = new TryStep(child, recordingLogger()).run(new AbortController().signal);
    await settle();
    child.succeed();
    await expect(running).resolves.toBeUndefined();
  });

  it("try does not swallow cancellation (deliberate divergence from Diego)", async () => {
    const child = new FakeStep();
    const controller = new AbortController();
    const running = new TryStep(child, recordingLogger()).run(controller.signal);
    await settle();
    const reason = new CancelledError();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
  });

  it("rethrows the cancellation even when the aborted child failed otherwise", async () => {
    const child = new FakeStep("child", "ignore");
    const controller = new AbortController();
    const running = new TryStep(child, recordingLogger()).run(controller.signal);
    await settle();
    const reason = new CancelledError();
    controller.abort(reason);
    child.fail(new Error("stream cut"));
    await expect(running).rejects.toBe(reason);
  });
});
