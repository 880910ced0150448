import { describe, expect, it } from "vitest";
import { CancelledError } from "../../../../src/errors.js";
import { FakeStep } from "../../../kit/fake-step.js";
import { SerialStep } from "../../../../src/diego/steps/serial-step.js";

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("SerialStep", () => {
  it("runs children in order, starting each when the previous succeeded", async () => {
    const [a, b] = [new FakeStep("a"), new FakeStep("b")];
    const running = new SerialStep([a, b]).run(new AbortController().signal);
    await settle();
    expect([a.runs, b.runs]).toEqual([1, 0]);
    a.succeed();
    await settle();
    expect(b.runs).toBe(1);
    b.succeed();
    await expect(running).resolves.toBeUndefined();
  });

  it("serial stops at the first failure and returns it", async () => {
    const [a, b, c] = [new FakeStep("a"), new FakeStep("b"), new FakeStep("c")];
    const failure = new Error("b failed");
    const running = new SerialStep([a, b, c]).run(new AbortController().signal);
    a.succeed();
    await settle();
    b.fail(failure);
    await expect(running).rejects.toBe(failure);
    expect(c.runs).toBe(0);
  });

  it("serial forwards an abort to the running child and returns its result", async () => {
    const [a, b] = [new FakeStep("a"), new FakeStep("b")];
    const controller = new AbortController();
    const running = new SerialStep([a, b]).run(controller.signal);
    await settle();
    const reason = new CancelledError();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(a.wasAborted).toBe(true);
    expect(b.runs).toBe(0);
  });

  it("does not start the next child once aborted, even if the running one succeeds", async () => {
    const a = new FakeStep("a", "resolve");
    const b = new FakeStep("b");
    const controller = new AbortController();
    const running = new SerialStep([a, b]).run(controller.signal);
    await settle();
    controller.abort(new CancelledError());
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(b.runs).toBe(0);
  });

  it("starts nothing when the signal already aborted", async () => {
    const a = new FakeStep("a");
    const controller = new AbortController();
    controller.abort(new CancelledError());
    await expect(new SerialStep([a]).run(controller.signal)).rejects.toBeInstanceOf(CancelledError);
    expect(a.runs).toBe(0);
  });
});
