import { describe, expect, it } from "vitest";
import {
  formatByteSize,
  formatGoDuration,
  messages,
  truncateErrorLine,
} from "../../../src/diego/messages.js";

describe("formatGoDuration", () => {
  it.each([
    [900_000, "15m0s"],
    [3_600_000, "1h0m0s"],
    [500, "500ms"],
    [1_500, "1.5s"],
    [10_000, "10s"],
    [0, "0s"],
    [123_456, "2m3.456s"],
    [90_061_000, "25h1m1s"],
    [1.5, "1.5ms"],
    [0.0015, "1.5µs"],
    [0.000_25, "250ns"],
    [-1_500, "-1.5s"],
  ])("formats %d ms as %s", (ms, expected) => {
    expect(formatGoDuration(ms)).toBe(expected);
  });
});

describe("formatByteSize", () => {
  it.each([
    [0, "0B"],
    [100, "100B"],
    [1023, "1023B"],
    [1024, "1K"],
    [1536, "1.5K"],
    [345 * 1024, "345K"],
    [12 * 2 ** 20, "12M"],
    [Math.round(1.2 * 2 ** 30), "1.2G"],
    [3 * 2 ** 40, "3T"],
  ])("formats %d bytes as %s", (bytes, expected) => {
    expect(formatByteSize(bytes)).toBe(expected);
  });

  it("rounds an exact half to even, as Go's strconv does", () => {
    expect(formatByteSize(1280)).toBe("1.2K"); // 1.25K
    expect(formatByteSize(1344)).toBe("1.3K"); // 1.3125K
    expect(formatByteSize(1408)).toBe("1.4K"); // 1.375K
  });
});

describe("truncateErrorLine", () => {
  it("keeps a line that fits in 1024 bytes with its newline", () => {
    const line = "x".repeat(1023);
    expect(truncateErrorLine(line)).toBe(line);
  });

  it("cuts a longer line to 1024 bytes ending with ' (error truncated)'", () => {
    const truncated = truncateErrorLine("y".repeat(5000));
    expect(Buffer.byteLength(truncated)).toBe(1024);
    expect(truncated.endsWith("y (error truncated)")).toBe(true);
  });

  it("never splits a multi-byte character", () => {
    const truncated = truncateErrorLine("é".repeat(1000));
    expect(truncated).not.toContain("\uFFFD");
    expect(truncated).toMatch(/^é+ \(error truncated\)$/);
    expect(Buffer.byteLength(truncated)).toBeLessThanOrEqual(1024);
  });
});

describe("messages", () => {
  it("words download and upload lines as Diego does", () => {
    expect(messages.downloading("droplet")).toBe("Downloading droplet...");
    expect(messages.downloaded("droplet", 12 * 2 ** 20)).toBe("Downloaded droplet (12M)");
    expect(messages.downloaded("droplet", undefined)).toBe("Downloaded droplet");
    expect(messages.downloadFailed("")).toBe("Downloading failed");
    expect(messages.copyFailed("", "boom")).toBe("Copying into the container failed: boom");
    expect(messages.uploadFailed("droplet")).toBe("Failed to upload payload for droplet");
    expect(messages.uploadFailed("")).toBe("Failed to upload payload");
  });

  it("words the exit status line, killed and out of memory", () => {
    expect(messages.exitStatus(0, { outOfMemory: false })).toBe("Exit status 0");
    expect(messages.exitStatus(137, { outOfMemory: true, killedAfterMs: 10_000 })).toBe(
      "Exit status 137 (exceeded 10s graceful shutdown interval) (out of memory)",
    );
    expect(messages.exitedWithStatus("STG", 223, false)).toBe("STG: Exited with status 223");
  });
});
