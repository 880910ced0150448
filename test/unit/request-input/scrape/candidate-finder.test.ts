import { describe, expect, it } from "vitest";
import { CandidateFinder } from "../../../../src/request-input/scrape/candidate-finder.js";
import {
  candidateNeedles,
  familyNeedles,
  isCandidateLine,
} from "../../../../src/request-input/scrape/classify-line.js";
import { seededRandom } from "../../../kit/seeded-random.js";

/** Every offset where a needle starts in `bytes[from, to)`, found the slow way. */
function naiveHits(bytes: Buffer, needles: readonly string[], [from, to]: [number, number]) {
  const hits = new Set<number>();
  for (const needle of needles) {
    const raw = Buffer.from(needle, "latin1");
    for (let at = bytes.indexOf(raw, from); at >= 0 && at + raw.length <= to;) {
      hits.add(at);
      at = bytes.indexOf(raw, at + 1);
    }
  }
  return [...hits].sort((a, b) => a - b);
}

/** Needles, pieces of them (anchors without their needle) and noise, glued at random. */
function randomBytes(next: () => number): Buffer {
  const pieces = [
    ...candidateNeedles,
    'quest"',
    "Defini",
    'LRP"',
    "p-messa",
    '"Reques',
    "x",
    '"',
    "é",
    "\n",
  ];
  const parts: string[] = [];
  for (let i = Math.floor(next() * 40); i > 0; i--) {
    parts.push(pieces[Math.floor(next() * pieces.length)] ?? "");
  }
  return Buffer.from(parts.join(""), "utf8");
}

describe("CandidateFinder", () => {
  it("finds exactly the needles' offsets in a range, for every needle set", () => {
    const next = seededRandom(7);
    const sets = [candidateNeedles, familyNeedles("task"), familyNeedles("lrp")];
    for (let round = 0; round < 400; round++) {
      const bytes = randomBytes(next);
      const from = Math.floor(next() * (bytes.length + 1));
      const to = from + Math.floor(next() * (bytes.length - from + 1));
      const needles = sets[round % sets.length] ?? candidateNeedles;
      const found = [...new Set(new CandidateFinder(needles).hits(bytes, from, to))];
      expect(found, `round ${round}`).toEqual(naiveHits(bytes, needles, [from, to]));
    }
  });

  it("finds the same offsets in its block buffer, where the byte kernel searches", () => {
    const next = seededRandom(8);
    const sets = [candidateNeedles, familyNeedles("task"), familyNeedles("lrp")];
    for (let round = 0; round < 400; round++) {
      const bytes = randomBytes(next);
      const from = Math.floor(next() * (bytes.length + 1));
      const to = from + Math.floor(next() * (bytes.length - from + 1));
      const needles = sets[round % sets.length] ?? candidateNeedles;
      const finder = new CandidateFinder(needles);
      const block = finder.blockBuffer(bytes.length + 64);
      expect(finder.kernelOf(block), "WebAssembly SIMD").toBeDefined();
      block.fill(0x22); // stale bytes after the data
      const at = Math.floor(next() * 64);
      bytes.copy(block, at);
      const found = [...new Set(finder.hits(block.subarray(at, at + bytes.length), from, to))];
      expect(found, `round ${round}`).toEqual(naiveHits(bytes, needles, [from, to]));
    }
  });

  it("agrees with isCandidateLine on whole lines", () => {
    const next = seededRandom(3);
    const finder = new CandidateFinder();
    for (let round = 0; round < 300; round++) {
      const bytes = randomBytes(next);
      expect(finder.holds(bytes), `round ${round}`).toBe(isCandidateLine(bytes.toString("latin1")));
    }
  });

  it("finds a needle at the very start and end of the range, not one cut by either end", () => {
    const line = Buffer.from('"taskDefinition"x"desiredLRP"');
    const finder = new CandidateFinder();
    expect(finder.hits(line, 0, line.length)).toEqual([0, 17]);
    expect(finder.hits(line, 1, line.length - 1)).toEqual([]);
  });
});

describe("familyNeedles", () => {
  it("keeps the family's payload keys and request message, and nothing of the other family", () => {
    expect(familyNeedles("task")).toEqual([
      '"taskDefinition"',
      '"TaskCreateRequest"',
      '"Request"',
      '"staging-request"',
      '.staging-task-request"',
    ]);
    expect(familyNeedles("lrp")).toEqual([
      '"desiredLRP"',
      '"create-request"',
      '"desired-app-message"',
      '"desire-app-request"',
      '.desired-app-request"',
    ]);
    expect([...familyNeedles("any")].sort()).toEqual([...candidateNeedles].sort());
  });
});
