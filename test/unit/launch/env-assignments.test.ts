import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { parseEnvAssignment, parseEnvFile } from "../../../src/launch/env-assignments.js";

describe("--env", () => {
  it("reads NAME=value, keeping later = signs and empty values", () => {
    expect(parseEnvAssignment("A=b=c", {})).toEqual({ name: "A", value: "b=c" });
    expect(parseEnvAssignment("A=", {})).toEqual({ name: "A", value: "" });
  });

  it("passes restager's value for a bare NAME, and nothing when it is unset", () => {
    expect(parseEnvAssignment("HOME", { HOME: "/root" })).toEqual({ name: "HOME", value: "/root" });
    expect(parseEnvAssignment("UNSET", {})).toBeUndefined();
  });

  it("refuses invalid names", () => {
    expect(() => parseEnvAssignment("=x", {})).toThrow(UsageError);
    expect(() => parseEnvAssignment("1A=x", {})).toThrow(/not a valid variable name/);
  });
});

describe("--env-file", () => {
  it("reads docker's format: comments, blank lines, no quote removal", () => {
    const text = '# comment\n\nA=1\n  B="quoted"\r\nHOST_ONLY\nMISSING\n';
    expect(parseEnvFile(text, { HOST_ONLY: "h" }, "app.env")).toEqual([
      { name: "A", value: "1" },
      { name: "B", value: '"quoted"' },
      { name: "HOST_ONLY", value: "h" },
    ]);
  });

  it("names the file and line of a bad assignment", () => {
    expect(() => parseEnvFile("A=1\n-bad=2\n", {}, "app.env")).toThrow(/app\.env:2/);
  });
});
