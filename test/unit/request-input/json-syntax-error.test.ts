import { describe, expect, it } from "vitest";
import { locateJsonSyntaxError } from "../../../src/request-input/json-syntax-error.js";

describe("locateJsonSyntaxError", () => {
  it("accepts valid JSON", () => {
    for (const text of ['{"a":[1,-2.5e3,true,null,"\\u0026\\n"]}', " [] ", '"x"', "0"]) {
      expect(locateJsonSyntaxError(text)).toBeUndefined();
    }
  });

  it.each([
    ['{"a":1,\n  "b": x}', 2, 8, 'unexpected character "x"'],
    ['{"a":1', 1, 7, "unexpected end of input: expected ',' or '}'"],
    ['{"a" 1}', 1, 6, "expected ':' after the property name"],
    ["[1,]", 1, 4, 'unexpected character "]"'],
    ["{'a':1}", 1, 2, "expected a property name in double quotes"],
    ['{"a":"\\q"}', 1, 7, "invalid escape sequence in a string"],
    ['{"a":"b', 1, 6, "unterminated string"],
    ['{"a":1}\n{"b":2}', 2, 1, "unexpected text after the JSON value"],
    ["", 1, 1, "unexpected end of input"],
  ])("locates the error in %j", (text, line, column, message) => {
    expect(locateJsonSyntaxError(text)).toMatchObject({ line, column, message });
  });
});
