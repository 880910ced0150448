import { describe, expect, it } from "vitest";
import { cancellation, isCancellation, throwIfCancelled } from "../../../src/core/cancellation.js";
import { TimeoutCancelledError } from "../../../src/diego/steps/step-errors.js";
import { CancelledError, ExitCode, RestagerError } from "../../../src/errors.js";

const abortedWith = (reason?: unknown): AbortSignal => {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
};

describe("cancellation: one rule for an aborted signal", () => {
  it("keeps our reasons and wraps foreign ones in CancelledError", () => {
    const reason = new TimeoutCancelledError(10);
    expect(cancellation(abortedWith(reason))).toBe(reason);
    const wrapped = cancellation(abortedWith());
    expect(wrapped).toBeInstanceOf(CancelledError);
    expect((wrapped.cause as DOMException).name).toBe("AbortError");
  });

  it("keeps an interrupt's CancelledError with its signal's exit code", () => {
    const interrupt = new CancelledError("Interrupted by SIGTERM", { signal: "SIGTERM" });
    const error = cancellation(abortedWith(interrupt));
    expect(error).toBe(interrupt);
    expect(error.exitCode).toBe(interrupt.exitCode);
  });

  it("wraps any other reason, ours or not, so a cancelled call always rejects with a CancelledError", () => {
    for (const reason of [
      new Error("prefetch no longer needed"),
      new RestagerError("not a cancellation", ExitCode.unavailable),
      "a string",
    ]) {
      const error = cancellation(abortedWith(reason));
      expect(error).toBeInstanceOf(CancelledError);
      expect(error.message).toBe("Interrupted");
      expect(error.cause).toBe(reason);
    }
  });

  it("throwIfCancelled throws the cancellation only once the signal aborted", () => {
    expect(() => throwIfCancelled(undefined)).not.toThrow();
    expect(() => throwIfCancelled(new AbortController().signal)).not.toThrow();
    const reason = new CancelledError("stop");
    expect(() => throwIfCancelled(abortedWith(reason))).toThrow(reason);
  });

  it("isCancellation recognises CancelledError and its subclasses only", () => {
    expect(isCancellation(new CancelledError())).toBe(true);
    expect(isCancellation(new TimeoutCancelledError(1))).toBe(true);
    expect(isCancellation(new Error("Interrupted"))).toBe(false);
    expect(isCancellation(new DOMException("aborted", "AbortError"))).toBe(false);
  });
});
