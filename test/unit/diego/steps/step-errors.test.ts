import { describe, expect, it } from "vitest";
import { CancelledError, ExitCode, RestagerError } from "../../../../src/errors.js";
import {
  aggregateErrors,
  AggregateStepError,
  CodependentExitedError,
  EmittableError,
  findExitStatus,
  ProcessExitedError,
  TimeoutCancelledError,
  UploadStepError,
} from "../../../../src/diego/steps/step-errors.js";

describe("step errors", () => {
  it("aggregates join displayable, non-empty messages with '; '", () => {
    const error = aggregateErrors([
      new CodependentExitedError(),
      new CancelledError(),
      new Error(""),
      new EmittableError("APP/PROC/WEB: Exited with status 1"),
    ]);
    expect(error).toBeInstanceOf(AggregateStepError);
    expect((error as Error).message).toBe(
      "Codependent step exited; APP/PROC/WEB: Exited with status 1",
    );
  });

  it("a group of cancellations stays a cancellation", () => {
    const first = new CancelledError();
    expect(aggregateErrors([first, new TimeoutCancelledError(1000)])).toBe(first);
  });

  it("a timeout's abort reason is a cancellation naming the duration", () => {
    const reason = new TimeoutCancelledError(900_000);
    expect(reason).toBeInstanceOf(CancelledError);
    expect(reason.message).toBe("exceeded 15m0s timeout");
  });

  it("findExitStatus looks through causes and aggregates", () => {
    const exited = new ProcessExitedError("STG", 223, false);
    const wrapped = new EmittableError("exceeded 1s timeout; STG: Exited with status 223", {
      cause: new AggregateStepError([new CancelledError(), exited]),
    });
    expect(findExitStatus(wrapped)).toBe(223);
    expect(findExitStatus(new Error("nope"))).toBeUndefined();
  });

  it("UploadStepError keeps a RestagerError's exit code and hint", () => {
    const inner = new RestagerError("Upload failed: Status code 401", ExitCode.expired, {
      hint: "h",
    });
    const error = new UploadStepError("droplet", inner);
    expect(error).toMatchObject({ exitCode: ExitCode.expired, hint: "h", cause: inner });
    expect(new UploadStepError("", new Error("x")).message).toBe("Failed to upload payload");
  });
});
