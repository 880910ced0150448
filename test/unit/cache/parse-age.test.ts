import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { parseAge } from "../../../src/cache/parse-age.js";

describe("parseAge", () => {
  it.each([
    ["90s", 90_000],
    ["30m", 1_800_000],
    ["12h", 43_200_000],
    ["7d", 604_800_000],
    ["2w", 1_209_600_000],
  ])("reads %s", (text, ms) => {
    expect(parseAge(text)).toBe(ms);
  });

  it.each(["", "7", "d", "1.5h", "-1d", "7 days", "3x"])(
    "refuses '%s' with a usage error",
    (text) => {
      expect(() => parseAge(text)).toThrow(UsageError);
    },
  );
});
