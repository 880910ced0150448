import { describe, expect, it } from "vitest";
import { defaultImageTime, formatImageTime, imageTime } from "../../../src/image/image-time.js";

describe("imageTime", () => {
  it("is 1980-01-01T00:00:01Z by default", () => {
    expect(formatImageTime(imageTime({}))).toBe("1980-01-01T00:00:01Z");
    expect(imageTime({ SOURCE_DATE_EPOCH: "" })).toBe(defaultImageTime);
  });

  it("follows SOURCE_DATE_EPOCH", () => {
    expect(formatImageTime(imageTime({ SOURCE_DATE_EPOCH: "1700000000" }))).toBe(
      "2023-11-14T22:13:20Z",
    );
  });

  it("refuses a SOURCE_DATE_EPOCH that is not whole seconds", () => {
    expect(() => imageTime({ SOURCE_DATE_EPOCH: "2023-01-01" })).toThrow(/SOURCE_DATE_EPOCH/);
  });
});
