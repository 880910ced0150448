import { describe, expect, it } from "vitest";
import { jsonSpan, scanValueEnd } from "../../../../src/request-input/scrape/json-span.js";

const slice = (text: string, path: string[], start = 0) => {
  const span = jsonSpan(text, start, path);
  return span && text.slice(span.start, span.end);
};

describe("jsonSpan", () => {
  it("returns the exact text of a nested member, keeping nanosecond integers and Go escapes", () => {
    const payload =
      '{"created_at":1465495532123456789,"from":"https://x/y?a=1\\u0026b=2","n":1.50}';
    const line = `{"timestamp":"1","data":{"session":"1.2","taskDefinition":${payload}}}`;
    expect(slice(line, ["data", "taskDefinition"])).toBe(payload);
    expect(JSON.stringify(JSON.parse(payload))).not.toBe(payload);
  });

  it("skips strings holding braces, quotes and escaped backslashes", () => {
    const value = '{"a":"}{\\"]","b":"\\\\"}';
    const text = `{"x":"{\\"data\\":1}","data":${value}}`;
    expect(slice(text, ["data"])).toBe(value);
  });

  it("tolerates whitespace, and the last duplicate key wins as with JSON.parse", () => {
    const text = '{ "data" : { "k" : [1, 2] , "k" : {"v": true} } }';
    expect(slice(text, ["data", "k"])).toBe('{"v": true}');
  });

  it("decodes escaped key names", () => {
    expect(slice('{"d\\u0061ta":{"k":3}}', ["data", "k"])).toBe("3");
  });

  it("starts at an offset (after a syslog prefix) and ignores trailing text", () => {
    const text = '<14>1 host stager - - - {"data":{"k":"v"}} [trailing]';
    expect(slice(text, ["data", "k"], text.indexOf("{"))).toBe('"v"');
  });

  it("returns undefined for missing keys, non-objects and cut-off text", () => {
    expect(jsonSpan('{"data":{"k":1}}', 0, ["data", "x"])).toBeUndefined();
    expect(jsonSpan('{"data":[{"k":1}]}', 0, ["data", "k"])).toBeUndefined();
    expect(jsonSpan('{"data":{"k":{"a":"b', 0, ["data", "k"])).toBeUndefined();
    expect(jsonSpan("{}", 0, ["data"])).toBeUndefined();
  });
});

describe("scanValueEnd", () => {
  it("finds the end of objects, strings and scalars, or -1 when incomplete", () => {
    expect(scanValueEnd('{"a":[1,{"b":"]"}]} tail', 0)).toBe(19);
    expect(scanValueEnd('"a\\"b" tail', 0)).toBe(6);
    expect(scanValueEnd("123,", 0)).toBe(3);
    expect(scanValueEnd('{"a":1', 0)).toBe(-1);
    expect(scanValueEnd('"abc', 0)).toBe(-1);
  });
});
