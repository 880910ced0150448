import { describe, expect, it } from "vitest";
import { CancelledError } from "../../../../src/errors.js";
import { FakeStep } from "../../../kit/fake-step.js";
import { RecordingTaskLog } from "../../../kit/recording-task-log.js";
import { EmitProgressStep } from "../../../../src/diego/steps/emit-progress-step.js";
import { EmittableError } from "../../../../src/diego/steps/step-errors.js";

const settle = () => new Promise((resolve) => setImmediate(resolve));
const staging = {
  startMessage: "Staging...",
  successMessage: "Staging complete",
  failureMessagePrefix: "Staging failed",
};

describe("EmitProgressStep", () => {
  it("writes the start message, then the success message, to stdout", async () => {
    const child = new FakeStep();
    const log = new RecordingTaskLog("STG");
    const running = new EmitProgressStep(child, staging, log).run(new AbortController().signal);
    await settle();
    expect(log.transcript()).toEqual(["[STG] OUT Staging..."]);
    child.succeed();
    await running;
    expect(log.transcript()).toEqual(["[STG] OUT Staging...", "[STG] OUT Staging complete"]);
  });

  it("emit_progress writes its prefix and the emittable message to stderr, returning the error unchanged", async () => {
    const child = new FakeStep();
    const log = new RecordingTaskLog("STG");
    const running = new EmitProgressStep(child, staging, log).run(new AbortController().signal);
    await settle();
    const failure = new EmittableError("STG: Exited with status 223", { cause: new Error("x") });
    child.fail(failure);
    await expect(running).rejects.toBe(failure);
    expect(log.lines("err")).toEqual(["Staging failed: STG: Exited with status 223"]);
  });

  it("writes only the prefix for an error that is not emittable (or a cancellation)", async () => {
    for (const failure of [new Error("secret https://x?sig=1"), new CancelledError()]) {
      const child = new FakeStep();
      const log = new RecordingTaskLog("STG");
      const running = new EmitProgressStep(child, staging, log).run(new AbortController().signal);
      await settle();
      child.fail(failure);
      await expect(running).rejects.toBe(failure);
      expect(log.lines("err")).toEqual(["Staging failed"]);
    }
  });

  it("writes nothing for empty messages", async () => {
    const empty = { startMessage: "", successMessage: "", failureMessagePrefix: "" };
    const log = new RecordingTaskLog("STG");
    const ok = new FakeStep();
    const succeeded = new EmitProgressStep(ok, empty, log).run(new AbortController().signal);
    ok.succeed();
    await succeeded;
    const bad = new FakeStep();
    const failed = new EmitProgressStep(bad, empty, log).run(new AbortController().signal);
    bad.fail(new EmittableError("boom"));
    await expect(failed).rejects.toThrow("boom");
    expect(log.entries).toEqual([]);
  });
});
