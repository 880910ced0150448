import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  boundaryOf,
  MultipartError,
  MultipartTokenizer,
  type MultipartEvent,
} from "../../../kit/fake-cf/multipart-tokenizer.js";

const BOUNDARY = "xYzZY";
const file = Buffer.concat([
  randomBytes(3000),
  Buffer.from(`\r\n--${BOUNDARY.slice(0, 3)}`),
  randomBytes(500),
]);
const body = Buffer.concat([
  Buffer.from(
    `preamble\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="async"\r\n\r\ntrue\r\n`,
  ),
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="droplet.tgz"\r\n`,
  ),
  Buffer.from("Content-Type: application/octet-stream\r\n\r\n"),
  file,
  Buffer.from(`\r\n--${BOUNDARY}\r\n\r\nno headers\r\n--${BOUNDARY}--\r\nepilogue`),
]);

/** Feeds `input` in pieces of `size` bytes and regroups the events per part. */
function parse(input: Buffer, size: number) {
  const pieces: Buffer[] = [];
  for (let at = 0; at < input.length; at += size) pieces.push(input.subarray(at, at + size));
  return parsePieces(pieces);
}

function parsePieces(pieces: Buffer[]) {
  const tokenizer = new MultipartTokenizer(BOUNDARY);
  const events: MultipartEvent[] = [];
  for (const piece of pieces) events.push(...tokenizer.push(piece));
  tokenizer.end();
  const parts: { headers: Record<string, string>; data: Buffer }[] = [];
  for (const event of events) {
    if (event.type === "part") parts.push({ headers: event.headers, data: Buffer.alloc(0) });
    const last = parts.at(-1);
    if (event.type === "data" && last !== undefined)
      last.data = Buffer.concat([last.data, event.chunk]);
  }
  return { parts, last: events.at(-1) };
}

function expectParts({ parts, last }: ReturnType<typeof parse>): void {
  expect(parts.map((p) => p.headers["content-disposition"])).toEqual([
    'form-data; name="async"',
    'form-data; name="file"; filename="droplet.tgz"',
    undefined,
  ]);
  expect(parts[0]?.data.toString()).toBe("true");
  expect(parts[1]?.data.equals(file)).toBe(true);
  expect(parts[1]?.headers["content-type"]).toBe("application/octet-stream");
  expect(parts[2]?.data.toString()).toBe("no headers");
  expect(last).toEqual({ type: "end" });
}

describe("MultipartTokenizer", () => {
  it.each([1, 2, 7, 64, 1000, body.length])("gives the same parts for %i-byte pieces", (size) => {
    expectParts(parse(body, size));
  });

  it("gives the same parts wherever the body is cut in two, across every delimiter byte", () => {
    for (let cut = 0; cut <= body.length; cut++)
      expectParts(parsePieces([body.subarray(0, cut), body.subarray(cut)]));
  });

  it("gives the same parts when a short piece sits at every offset of a delimiter", () => {
    const delimiter = Buffer.from(`\r\n--${BOUNDARY}`);
    for (let at = body.indexOf(delimiter); at !== -1; at = body.indexOf(delimiter, at + 1)) {
      for (let start = at - 2; start <= at + delimiter.length; start++) {
        for (const length of [1, 3]) {
          const end = start + length;
          const pieces = [body.subarray(0, start), body.subarray(start, end), body.subarray(end)];
          expectParts(parsePieces(pieces));
        }
      }
    }
  });

  it("fails on a body that ends before the closing boundary", () => {
    const tokenizer = new MultipartTokenizer(BOUNDARY);
    tokenizer.push(body.subarray(0, 200));
    expect(() => tokenizer.end()).toThrow(MultipartError);
  });

  it("reads the boundary parameter of a form-data content type", () => {
    expect(boundaryOf("multipart/form-data; boundary=abc")).toBe("abc");
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).toBe("a b");
    expect(boundaryOf("application/octet-stream")).toBeUndefined();
    expect(boundaryOf(undefined)).toBeUndefined();
  });
});
