import { describe, expect, it } from "vitest";
import { CancelledError } from "../../../../src/errors.js";
import { FakeStep } from "../../../kit/fake-step.js";
import { ParallelStep } from "../../../../src/diego/steps/parallel-step.js";
import { AggregateStepError, EmittableError } from "../../../../src/diego/steps/step-errors.js";

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("ParallelStep", () => {
  it("starts every child at once and waits for all of them", async () => {
    const steps = [new FakeStep("a"), new FakeStep("b"), new FakeStep("c")];
    let done = false;
    const running = new ParallelStep(steps)
      .run(new AbortController().signal)
      .then(() => (done = true));
    await settle();
    expect(steps.map((s) => s.runs)).toEqual([1, 1, 1]);
    steps[0]?.succeed();
    steps[2]?.succeed();
    await settle();
    expect(done).toBe(false);
    steps[1]?.succeed();
    await running;
    expect(done).toBe(true);
  });

  it("parallel never cancels siblings on failure", async () => {
    const [a, b] = [new FakeStep("a"), new FakeStep("b")];
    let settled = false;
    const running = new ParallelStep([a, b]).run(new AbortController().signal);
    void running.catch(() => undefined).finally(() => (settled = true));
    await settle();
    a.fail(new EmittableError("Downloading droplet failed"));
    await settle();
    expect(b.wasAborted).toBe(false);
    expect(settled).toBe(false);
    b.succeed();
    await expect(running).rejects.toThrow("Downloading droplet failed");
  });

  it("parallel joins displayable errors with '; ' and hides cancellations", async () => {
    const steps = [new FakeStep("a"), new FakeStep("b"), new FakeStep("c")];
    const running = new ParallelStep(steps).run(new AbortController().signal);
    await settle();
    steps[0]?.fail(new EmittableError("Uploading droplet failed"));
    steps[1]?.fail(new CancelledError());
    steps[2]?.fail(new Error("Upload failed: Status code 500"));
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateStepError);
    expect((error as Error).message).toBe(
      "Uploading droplet failed; Upload failed: Status code 500",
    );
    expect((error as AggregateStepError).errors).toHaveLength(3);
  });

  it("an outside abort reaches every child and rejects with the cancellation", async () => {
    const [a, b] = [new FakeStep("a"), new FakeStep("b")];
    const controller = new AbortController();
    const running = new ParallelStep([a, b]).run(controller.signal);
    await settle();
    const reason = new CancelledError();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect([a.wasAborted, b.wasAborted]).toEqual([true, true]);
  });
});

describe("ParallelStep and abort listeners", () => {
  it("lets twelve children each watch the signal twice without a MaxListeners warning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    const outer = new AbortController();
    try {
      const listening = Array.from({ length: 12 }, () => ({
        run: async (signal: AbortSignal) => {
          const first = () => undefined;
          const second = () => undefined;
          signal.addEventListener("abort", first);
          signal.addEventListener("abort", second);
          await settle();
          signal.removeEventListener("abort", first);
          signal.removeEventListener("abort", second);
        },
      }));
      await new ParallelStep(listening).run(outer.signal);
      await settle();
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("passes the outside abort reason to the children", async () => {
    const outer = new AbortController();
    const child = new FakeStep("child");
    const running = new ParallelStep([child]).run(outer.signal);
    await settle();
    const reason = new CancelledError("stop");
    outer.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(child.wasAborted).toBe(true);
  });
});
