import { describe, expect, it } from "vitest";
import { cpuSharesFor } from "../../../src/diego/cpu-shares.js";

describe("cpuSharesFor", () => {
  it("is 1024 * cpu_weight / 100 with integer division, as the executor computes it", () => {
    expect(cpuSharesFor(100)).toBe(1024);
    expect(cpuSharesFor(50)).toBe(512);
    expect(cpuSharesFor(33)).toBe(337);
    expect(cpuSharesFor(1)).toBe(10);
  });

  it("means no limit for a missing or zero weight", () => {
    expect(cpuSharesFor(undefined)).toBeUndefined();
    expect(cpuSharesFor(0)).toBeUndefined();
  });

  it("caps weights above 100", () => {
    expect(cpuSharesFor(250)).toBe(1024);
  });
});
