import { describe, expect, it } from "vitest";
import { CancelledError } from "../../../../src/errors.js";
import { FakeStep } from "../../../kit/fake-step.js";
import { CodependentStep } from "../../../../src/diego/steps/codependent-step.js";
import {
  AggregateStepError,
  CodependentExitedError,
  EmittableError,
} from "../../../../src/diego/steps/step-errors.js";

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("CodependentStep", () => {
  it("codependent: the first child to finish aborts the rest; a success becomes 'Codependent step exited'", async () => {
    const [app, sshd, sidecar] = [new FakeStep("app"), new FakeStep("sshd"), new FakeStep("car")];
    const running = new CodependentStep([app, sshd, sidecar]).run(new AbortController().signal);
    await settle();
    app.succeed();
    const error = await running.catch((e: unknown) => e);
    expect([sshd.wasAborted, sidecar.wasAborted]).toEqual([true, true]);
    expect(sshd.abortReason).toBeInstanceOf(CancelledError);
    expect(error).toBeInstanceOf(AggregateStepError);
    expect((error as Error).message).toBe("Codependent step exited");
    expect((error as AggregateStepError).errors[0]).toBeInstanceOf(CodependentExitedError);
  });

  it("codependent: a failing child aborts the rest and its message is the group's", async () => {
    const [app, sshd] = [new FakeStep("app"), new FakeStep("sshd")];
    const running = new CodependentStep([app, sshd]).run(new AbortController().signal);
    await settle();
    app.fail(new EmittableError("APP/PROC/WEB: Exited with status 1"));
    await expect(running).rejects.toThrow(/^APP\/PROC\/WEB: Exited with status 1$/);
    expect(sshd.wasAborted).toBe(true);
  });

  it("codependent always fails, waiting for aborted children to finish", async () => {
    const app = new FakeStep("app");
    const slow = new FakeStep("slow", "ignore");
    let settled = false;
    const running = new CodependentStep([app, slow]).run(new AbortController().signal);
    void running.catch(() => undefined).finally(() => (settled = true));
    await settle();
    app.succeed();
    await settle();
    expect(slow.wasAborted).toBe(true);
    expect(settled).toBe(false);
    slow.fail(new CancelledError());
    await expect(running).rejects.toThrow("Codependent step exited");
  });

  it("an outside abort rejects with the cancellation", async () => {
    const [a, b] = [new FakeStep("a"), new FakeStep("b")];
    const controller = new AbortController();
    const running = new CodependentStep([a, b]).run(controller.signal);
    await settle();
    const reason = new CancelledError();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
  });
});
