import { describe, expect, it } from "vitest";
import { asksForVersion } from "../../../src/cli/entry.js";

describe("asksForVersion", () => {
  it.each([
    [["--version"]],
    [["build-req", "--version"]],
    [["launch-req", "--version"]],
    [["restage", "--version"]],
    [["launch", "--version"]],
  ])("answers %j before the parser", (argv) => expect(asksForVersion(argv)).toBe(true));

  it.each([
    [[]],
    [["build-req"]],
    [["build-req", "--log", "--version"]],
    [["build-req", "--version", "--log", "x"]],
    [["image", "--version"]],
    [["--version", "build-req"]],
    [["build-req", "--versions"]],
  ])("leaves %j to the parser", (argv) => expect(asksForVersion(argv)).toBe(false));
});
