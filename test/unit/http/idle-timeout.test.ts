import { describe, expect, it } from "vitest";
import { ExitCode, UsageError } from "../../../src/errors.js";
import { idleTimeoutFromEnv } from "../../../src/http/idle-timeout.js";

describe("idleTimeoutFromEnv", () => {
  it("leaves the transport's default when the variable is unset or empty", () => {
    expect(idleTimeoutFromEnv({})).toEqual({});
    expect(idleTimeoutFromEnv({ RESTAGER_HTTP_IDLE_TIMEOUT_MS: "" })).toEqual({});
  });

  it("reads a positive whole number of milliseconds", () => {
    expect(idleTimeoutFromEnv({ RESTAGER_HTTP_IDLE_TIMEOUT_MS: "2500" })).toEqual({
      idleTimeoutMs: 2500,
    });
  });

  it.each(["0", "-5", "1.5", "10s", " 100"])("refuses %j with a usage error", (value) => {
    const read = () => idleTimeoutFromEnv({ RESTAGER_HTTP_IDLE_TIMEOUT_MS: value });
    expect(read).toThrow(UsageError);
    expect(read).toThrow(
      `RESTAGER_HTTP_IDLE_TIMEOUT_MS=${value} is not a positive whole number of milliseconds`,
    );
    try {
      read();
    } catch (error) {
      expect((error as UsageError).exitCode).toBe(ExitCode.usage);
    }
  });
});
