import { describe, expect, it } from "vitest";
import { IssueLog } from "../../../../src/diego/parse/issue-log.js";
import { JsonReader } from "../../../../src/diego/parse/json-reader.js";

function reader(fields: Record<string, unknown>, path = "$") {
  const log = new IssueLog();
  return { reader: new JsonReader(fields, path, log), log };
}

describe("JsonReader", () => {
  it("reads null as absent and reports wrong types with paths", () => {
    const { reader: r, log } = reader({ a: null, b: 3, c: "x", d: [1, "y"] }, "action.run");
    expect(r.string("a")).toBeUndefined();
    expect(r.string("b")).toBeUndefined();
    expect(r.number("c")).toBeUndefined();
    expect(r.strings("d")).toEqual(["y"]);
    expect(r.strings("missing")).toEqual([]);
    expect(log.errors).toEqual([
      { path: "action.run.b", message: "expected a string, got a number" },
      { path: "action.run.c", message: "expected a number, got a string" },
      { path: "action.run.d[0]", message: "expected a string, got a number" },
    ]);
  });

  it("checks bounds and required strings", () => {
    const { reader: r, log } = reader({ n: -1, m: 200, e: "" });
    expect(r.number("n", { min: 0 })).toBeUndefined();
    expect(r.number("m", { max: 100 })).toBeUndefined();
    expect(r.requiredString("e")).toBe("");
    expect(r.requiredString("absent")).toBe("");
    expect(log.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      "n: must not be negative (got -1)",
      "m: must be at most 100 (got 200)",
      "e: must not be empty",
      "absent: missing",
    ]);
  });

  it("warns once per unread key on finish, except ignored ones", () => {
    const { reader: r, log } = reader({ known: 1, ignored: 2, extra: 3 }, "x");
    r.number("known");
    r.ignore("ignored");
    r.finish();
    expect(log.warnings).toEqual([{ path: "x.extra", message: "unknown field; ignored" }]);
  });

  it("refuses non-objects", () => {
    const log = new IssueLog();
    expect(JsonReader.of([1], "routes", log)).toBeUndefined();
    expect(log.errors).toEqual([{ path: "routes", message: "expected an object, got an array" }]);
  });
});
