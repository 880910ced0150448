/**
 * Attempts with exponential backoff. Only failures wrapped in RetryableFailure are retried;
 * anything else (checksum mismatch, cancellation, a 404) ends the loop at once.
 */
import { sleep as realSleep } from "./sleep.js";

export interface RetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Up to this many random milliseconds are added to each delay. */
  jitterMs: number;
}

/** Diego's downloader: 4 attempts, 0.5 s doubling to 5 s, ≤200 ms jitter. */
export const downloadRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  initialDelayMs: 500,
  maxDelayMs: 5000,
  jitterMs: 200,
};

/** The executor's uploader: 3 attempts, one right after the other (depot/uploader/uploader.go). */
export const uploadRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  initialDelayMs: 0,
  maxDelayMs: 0,
  jitterMs: 0,
};

/** Injectable timing, so tests need not wait for real backoff. */
export interface RetryTiming {
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  random?: (() => number) | undefined;
}

/** Marks a failure worth another attempt; `failure` is what the caller sees after the last one. */
export class RetryableFailure extends Error {
  readonly failure: Error;

  constructor(failure: Error) {
    super(failure.message, { cause: failure });
    this.failure = failure;
  }
}

export function backoffDelayMs(
  failedAttempts: number,
  policy: RetryPolicy,
  random: number,
): number {
  const exponential = policy.initialDelayMs * 2 ** (failedAttempts - 1);
  return Math.min(exponential, policy.maxDelayMs) + Math.floor(random * policy.jitterMs);
}

/** Runs `attempt(1)`, `attempt(2)`, … until one succeeds, fails for good, or the policy is spent. */
export async function retryWithBackoff<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryTiming & { signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!(error instanceof RetryableFailure)) throw error;
      if (attemptNumber >= policy.maxAttempts) throw error.failure;
      await sleep(backoffDelayMs(attemptNumber, policy, random()), options.signal);
    }
  }
}
