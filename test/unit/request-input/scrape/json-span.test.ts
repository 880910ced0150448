import { describe, expect, it } from "vitest";
import {
  jsonSpan,
  scanValueEnd,
  type Span,
} from "../../../../src/request-input/scrape/json-span.js";
import { seededRandom } from "../../../kit/seeded-random.js";

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

/** The path followed one key at a time, each member's value skipped by scanValueEnd. */
function memberByMember(text: string, start: number, path: readonly string[]): Span | undefined {
  let span: Span | undefined = { start, end: -1 };
  for (const key of path) {
    span = span && lastMember(text, span.start, key);
  }
  return span;
}

function lastMember(text: string, objectStart: number, key: string): Span | undefined {
  const skip = (i: number) => i + (/^\s*/.exec(text.slice(i))?.[0].length ?? 0);
  if (text[objectStart] !== "{") return undefined;
  let found: Span | undefined;
  let i = skip(objectStart + 1);
  if (text[i] === "}") return undefined;
  for (;;) {
    if (text[i] !== '"') return undefined;
    const keyEnd = scanValueEnd(text, i);
    if (keyEnd < 0) return undefined;
    const name = keyName(text.slice(i, keyEnd));
    i = skip(keyEnd);
    if (text[i] !== ":") return undefined;
    const valueStart = skip(i + 1);
    const valueEnd = scanValueEnd(text, valueStart);
    if (valueEnd < 0) return undefined;
    if (name === key) found = { start: valueStart, end: valueEnd };
    i = skip(valueEnd);
    if (text[i] === "}") return found;
    if (text[i] !== ",") return undefined;
    i = skip(i + 1);
  }
}

function keyName(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/** A random JSON value as text, with the keys of the path often and duplicated. */
function randomJson(next: () => number, depth: number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const space = () => pick(["", "", " ", "\n "]);
  const roll = next();
  if (depth > 3 || roll < 0.3) {
    return pick(["1.50", "-2e3", "true", "null", '"}{\\"]"', '"a\\\\"', '"d\\u0061ta"', '""']);
  }
  if (roll < 0.45) {
    const items = Array.from({ length: Math.floor(next() * 3) }, () => randomJson(next, depth + 1));
    return `[${items.join(",")}]`;
  }
  const members = Array.from({ length: Math.floor(next() * 4) }, () => {
    const key = pick(['"data"', '"k"', '"x"', '"d\\u0061ta"', '"k"']);
    return `${space()}${key}${space()}:${space()}${randomJson(next, depth + 1)}${space()}`;
  });
  return `{${members.join(",")}${members.length === 0 ? space() : ""}}`;
}

describe("jsonSpan against following the path member by member", () => {
  it("agrees on random objects, whole, cut short or with a byte dropped", () => {
    const next = seededRandom(21);
    for (let round = 0; round < 2000; round++) {
      let text = randomJson(next, 0);
      if (round % 3 === 1) text = text.slice(0, Math.floor(next() * text.length));
      if (round % 3 === 2) {
        const at = Math.floor(next() * text.length);
        text = text.slice(0, at) + text.slice(at + 1);
      }
      for (const path of [["data"], ["data", "k"], ["data", "k", "x"]]) {
        expect(jsonSpan(text, 0, path), `${round}: ${text} ${path.join(".")}`).toEqual(
          memberByMember(text, 0, path),
        );
      }
    }
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
