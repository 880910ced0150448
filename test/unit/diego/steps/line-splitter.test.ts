import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../../../src/diego/steps/line-splitter.js";

describe("LineSplitter", () => {
  it("emits whole lines and holds a partial one until the next chunk or flush", () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.write(Buffer.from("a\nb"));
    expect(lines).toEqual(["a"]);
    splitter.write(Buffer.from("c\n\nd"));
    expect(lines).toEqual(["a", "bc", ""]);
    splitter.flush();
    expect(lines).toEqual(["a", "bc", "", "d"]);
    splitter.flush();
    expect(lines).toHaveLength(4);
  });

  it("decodes UTF-8 characters split across chunks", () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    const bytes = Buffer.from("日本\n");
    for (const byte of bytes) splitter.write(Buffer.from([byte]));
    expect(lines).toEqual(["日本"]);
  });
});
