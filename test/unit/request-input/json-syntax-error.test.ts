import { describe, expect, it } from "vitest";
import { locateJsonSyntaxError } from "../../../src/request-input/json-syntax-error.js";

describe("locateJsonSyntaxError", () => {
  it("accepts valid JSON", () => {
    for (const text of ['{"a":[1,-2.5e3,true,null,"\\u0026\\n"]}', " [] ", '"x"', "0"]) {
      expect(locateJsonSyntaxError(text)).toBeUndefined();
    }
  });

  it.each([
    { text: '{"a":1,\n  "b": x}', line: 2, column: 8, message: 'unexpected character "x"' },
    { text: '{"a":1', line: 1, column: 7, message: "unexpected end of input: expected ',' or '}'" },
    { text: '{"a" 1}', line: 1, column: 6, message: "expected ':' after the property name" },
    { text: "[1,]", line: 1, column: 4, message: 'unexpected character "]"' },
    { text: "{'a':1}", line: 1, column: 2, message: "expected a property name in double quotes" },
    { text: '{"a":"\\q"}', line: 1, column: 7, message: "invalid escape sequence in a string" },
    { text: '{"a":"b', line: 1, column: 6, message: "unterminated string" },
    {
      text: '{"a":1}\n{"b":2}',
      line: 2,
      column: 1,
      message: "unexpected text after the JSON value",
    },
    { text: "", line: 1, column: 1, message: "unexpected end of input" },
  ])("locates the error in $text", ({ text, line, column, message }) => {
    expect(locateJsonSyntaxError(text)).toMatchObject({ line, column, message });
  });
});
