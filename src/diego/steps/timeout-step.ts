import { messages } from "../messages.js";
import type { Step } from "./step.js";
import { EmittableError, TimeoutCancelledError } from "./step-errors.js";
import { MAX_TIMER_MS } from "./wait-until.js";
import { throwIfCancelled } from "../../core/cancellation.js";

/**
 * Diego's timeout action: when the timer fires, the child is aborted (run steps escalate
 * TERM → KILL), the step waits for it to finish, and then fails with
 * `exceeded <Go duration> timeout`, plus `; <message>` when the child's error was emittable.
 * An outside abort is not a timeout: the child's cancellation is returned unchanged.
 */
export class TimeoutStep implements Step {
  constructor(
    private readonly step: Step,
    private readonly timeoutMs: number,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    throwIfCancelled(signal);
    const timer = new AbortController();
    const handle = setTimeout(
      () => timer.abort(new TimeoutCancelledError(this.timeoutMs)),
      Math.min(this.timeoutMs, MAX_TIMER_MS),
    );
    const timedOut = () => timer.signal.aborted && !signal.aborted;
    try {
      await this.step.run(AbortSignal.any([signal, timer.signal]));
    } catch (error) {
      if (timedOut()) throw this.timeoutError(error);
      throw error;
    } finally {
      clearTimeout(handle);
    }
    if (timedOut()) throw this.timeoutError(undefined);
  }

  private timeoutError(inner: unknown): EmittableError {
    const innerMessage = inner instanceof EmittableError ? inner.message : undefined;
    return new EmittableError(messages.timeoutExceeded(this.timeoutMs, innerMessage), {
      cause: inner,
    });
  }
}
