import { describe, expect, it } from "vitest";
import {
  findMarkers,
  findMarkersInJson,
} from "../../../../src/request-input/scrape/find-markers.js";

describe("findMarkers", () => {
  it("names each marked value by its path, in document order", () => {
    const payload = {
      action: {
        serial: {
          actions: [
            {
              run: {
                env: [
                  { name: "A", value: "ok" },
                  { name: "B", value: "*REDACTED*" },
                ],
              },
            },
            { download: { from: "http://x/y?sig=abc-(truncated)" } },
          ],
        },
      },
      "odd-key": { "with space": ["*REDACTED*"] },
      $ok: "-(truncated)",
    };
    expect(findMarkers(payload)).toEqual([
      { path: "action.serial.actions[0].run.env[1].value", kind: "redacted" },
      { path: "action.serial.actions[1].download.from", kind: "truncated" },
      { path: '["odd-key"]["with space"][0]', kind: "redacted" },
      { path: '["$ok"]', kind: "truncated" },
    ]);
  });

  it("names a marked root, an array root's items, and stops at the limit", () => {
    expect(findMarkers("*REDACTED*")).toEqual([{ path: "(root)", kind: "redacted" }]);
    expect(findMarkers(["a", "*REDACTED*"])).toEqual([{ path: "[1]", kind: "redacted" }]);
    const many = Array.from({ length: 30 }, () => "*REDACTED*");
    expect(findMarkers(many, 3).map((marker) => marker.path)).toEqual(["[0]", "[1]", "[2]"]);
    expect(findMarkers({ a: 1, b: null, c: [true] })).toEqual([]);
  });

  it("findMarkersInJson finds what findMarkers finds, escaped markers included", () => {
    const texts = [
      String.raw`{"env":[{"name":"A","value":"x\u0026y \u003c\u003e"}]}`,
      String.raw`{"env":[{"name":"A","value":"*REDACTED*"}]}`,
      String.raw`{"url":"http://h/p?q=abc-(truncated)"}`,
      String.raw`{"env":[{"name":"A","value":"\u002aREDACTED\u002A"}]}`,
      String.raw`{"url":"abc\u002d\u0028trun\u0063ated)"}`,
      String.raw`{"*REDACTED*":"a key, not a value"}`,
    ];
    const found = texts.map((text) => findMarkersInJson(JSON.parse(text), text));
    expect(found).toEqual(texts.map((text) => findMarkers(JSON.parse(text))));
    expect(found.map((markers) => markers.length)).toEqual([0, 1, 1, 1, 1, 0]);
  });
});
