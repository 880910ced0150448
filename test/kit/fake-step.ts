import { CancelledError } from "../../src/errors.js";
import type { Step } from "../../src/diego/steps/step.js";

/** What a FakeStep does when its signal aborts while it runs. */
export type AbortBehaviour = "reject" | "ignore" | "resolve";

/**
 * A controllable Step: run() stays pending until the test calls succeed() or fail(). It records
 * whether (and with which reason) its signal aborted; by default an abort rejects with the
 * signal's reason, as a well-behaved step does. `ignore` models a child that needs time to stop.
 */
export class FakeStep implements Step {
  runs = 0;
  signal: AbortSignal | undefined;
  /** The abort reason seen while running (undefined when never aborted). */
  abortReason: unknown;
  private settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  private markStarted: () => void = () => undefined;
  /** Resolves once run() was called. */
  readonly started = new Promise<void>((resolve) => (this.markStarted = resolve));

  constructor(
    readonly name = "fake",
    private readonly onAbort: AbortBehaviour = "reject",
  ) {}

  get wasAborted(): boolean {
    return this.signal?.aborted ?? false;
  }

  /** True while run() is pending. */
  get running(): boolean {
    return this.settle !== undefined;
  }

  run(signal: AbortSignal): Promise<void> {
    this.runs++;
    this.signal = signal;
    this.markStarted();
    if (signal.aborted) return Promise.reject(reasonOf(signal));
    const promise = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    signal.addEventListener("abort", () => {
      this.abortReason = signal.reason;
      if (this.onAbort === "reject") this.fail(reasonOf(signal));
      if (this.onAbort === "resolve") this.succeed();
    });
    return promise;
  }

  succeed(): void {
    this.settle?.resolve();
    this.settle = undefined;
  }

  fail(error: unknown): void {
    this.settle?.reject(error);
    this.settle = undefined;
  }
}

function reasonOf(signal: AbortSignal): Error {
  return signal.reason instanceof CancelledError ? signal.reason : new CancelledError();
}
