import { describe, expect, it } from "vitest";
import {
  backoffDelayMs,
  downloadRetryPolicy,
  RetryableFailure,
  retryWithBackoff,
} from "../../../src/http/retry.js";

describe("backoffDelayMs", () => {
  it("doubles from 0.5 s to a 5 s ceiling and adds at most 200 ms of jitter", () => {
    const delays = [1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, downloadRetryPolicy, 0));
    expect(delays).toEqual([500, 1000, 2000, 4000, 5000]);
    expect(backoffDelayMs(1, downloadRetryPolicy, 0.999)).toBe(699);
  });
});

describe("retryWithBackoff", () => {
  const noSleep = { sleep: () => Promise.resolve(), random: () => 0 };

  it("retries RetryableFailure and throws its failure after the last attempt", async () => {
    let calls = 0;
    const final = new Error("final");
    const run = retryWithBackoff(
      () => {
        calls++;
        return Promise.reject(new RetryableFailure(final));
      },
      downloadRetryPolicy,
      noSleep,
    );
    await expect(run).rejects.toBe(final);
    expect(calls).toBe(4);
  });

  it("does not retry other errors", async () => {
    let calls = 0;
    const run = retryWithBackoff(
      () => {
        calls++;
        return Promise.reject(new Error("checksum"));
      },
      downloadRetryPolicy,
      noSleep,
    );
    await expect(run).rejects.toThrow("checksum");
    expect(calls).toBe(1);
  });

  it("passes the attempt number", async () => {
    const result = await retryWithBackoff(
      (n) => (n < 3 ? Promise.reject(new RetryableFailure(new Error("x"))) : Promise.resolve(n)),
      downloadRetryPolicy,
      noSleep,
    );
    expect(result).toBe(3);
  });
});
