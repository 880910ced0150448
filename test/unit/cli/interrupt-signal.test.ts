import { describe, expect, it } from "vitest";
import { CancelledError, ExitCode } from "../../../src/errors.js";
import { interruptSignal } from "../../../src/cli/interrupt-signal.js";

describe("interruptSignal", () => {
  for (const [name, code] of [
    ["SIGHUP", 129],
    ["SIGINT", 130],
    ["SIGQUIT", 131],
    ["SIGTERM", 143],
  ] as const) {
    it(`turns ${name} into an abort whose error exits ${code}`, () => {
      const told: string[] = [];
      const interrupt = interruptSignal((signal) => told.push(signal));
      try {
        process.emit(name, name);
        expect(told).toEqual([name]);
        expect(interrupt.received()).toBe(name);
        expect(interrupt.signal.aborted).toBe(true);
        const reason = interrupt.signal.reason as CancelledError;
        expect(reason).toBeInstanceOf(CancelledError);
        expect(reason.message).toBe(`Interrupted by ${name}`);
        expect(reason.exitCode).toBe(code);
      } finally {
        interrupt.dispose();
      }
    });
  }

  it("on a second signal, says what is left and exits with that signal's code", () => {
    const abandoned: { lines: string[]; code: number }[] = [];
    const interrupt = interruptSignal(undefined, {
      leftovers: () => ["Left: staging container abc"],
      abandon: (lines, code) => abandoned.push({ lines, code }),
    });
    try {
      process.emit("SIGINT", "SIGINT");
      expect(abandoned).toEqual([]);
      process.emit("SIGHUP", "SIGHUP");
      expect(abandoned).toEqual([
        {
          lines: [
            "Received SIGHUP again: exiting before the cleanup finished",
            "Left: staging container abc",
          ],
          code: ExitCode.hangup,
        },
      ]);
      expect(interrupt.received()).toBe("SIGINT");
    } finally {
      interrupt.dispose();
    }
  });

  it("stops listening once disposed", () => {
    const before = process.listenerCount("SIGHUP");
    interruptSignal().dispose();
    expect(process.listenerCount("SIGHUP")).toBe(before);
  });
});
