import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  candidateNeedles,
  isCandidateLine,
} from "../../../../src/request-input/scrape/classify-line.js";
import { CandidateFinder } from "../../../../src/request-input/scrape/candidate-finder.js";
import { readLines, type Line } from "../../../../src/request-input/scrape/read-lines.js";
import { scanCandidates } from "../../../../src/request-input/scrape/scan-candidates.js";
import { seededRandom } from "../../../kit/seeded-random.js";

interface Outcome {
  lines: Line[];
  tooLong: [number, number][];
  /** Lines read and not too long, and of those non-candidates without `{`. */
  counts: [number, number];
}

function streamOf(chunks: Buffer[]) {
  return Readable.from(chunks, { objectMode: true });
}

async function scan(chunks: Buffer[], maxLineBytes: number): Promise<Outcome> {
  const outcome: Outcome = { lines: [], tooLong: [], counts: [0, 0] };
  for await (const line of scanCandidates(streamOf(chunks), {
    maxLineBytes,
    onTooLong: (lineNo, bytes) => outcome.tooLong.push([lineNo, bytes]),
    onLines: (lines, nonJson) => {
      outcome.counts[0] += lines;
      outcome.counts[1] += nonJson;
    },
  })) {
    outcome.lines.push(line);
  }
  return outcome;
}

/** What the line-by-line path (readLines + isCandidateLine) makes of the same bytes. */
async function reference(chunks: Buffer[], maxLineBytes: number): Promise<Outcome> {
  const outcome: Outcome = { lines: [], tooLong: [], counts: [0, 0] };
  for await (const line of readLines(streamOf(chunks), {
    maxLineBytes,
    onTooLong: (lineNo, bytes) => outcome.tooLong.push([lineNo, bytes]),
  })) {
    outcome.counts[0]++;
    if (isCandidateLine(line.text)) outcome.lines.push(line);
    else if (!line.text.includes("{")) outcome.counts[1]++;
  }
  return outcome;
}

const fragments = [
  ...candidateNeedles,
  '{"timestamp":"1.5","message":"x.y","data":{}}',
  "plain text",
  "é€",
  "\r",
  "{",
  '"',
  "\n",
  "\n",
  "\n",
  "x".repeat(40),
  Buffer.from([0xff, 0xc3]).toString("latin1"),
];

function randomInput(next: () => number): Buffer {
  const parts: Buffer[] = [];
  const count = Math.floor(next() * 60);
  for (let i = 0; i < count; i++) {
    const fragment = fragments[Math.floor(next() * fragments.length)] ?? "";
    parts.push(Buffer.from(fragment, fragment.includes("\xff") ? "latin1" : "utf8"));
  }
  return Buffer.concat(parts);
}

function randomChunks(bytes: Buffer, next: () => number, largest = 80): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(next() * largest);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe("scanCandidates", () => {
  it("finds candidate lines with their numbers, across chunk boundaries", async () => {
    const text = 'noise\n{"data":{"taskDefinition":{}}}\r\nmore {\n{"data":{"desiredLRP":{}}}';
    const bytes = Buffer.from(text);
    const chunks = [bytes.subarray(0, 20), bytes.subarray(20, 52), bytes.subarray(52)];
    const outcome = await scan(chunks, 1024);
    expect(outcome.lines).toEqual([
      { lineNo: 2, text: '{"data":{"taskDefinition":{}}}' },
      { lineNo: 4, text: '{"data":{"desiredLRP":{}}}' },
    ]);
    expect(outcome.counts).toEqual([4, 1]);
  });

  it("skips lines one byte over the limit inside a chunk, keeping the numbering", async () => {
    const fits = "{" + "x".repeat(11);
    const over = fits + "x";
    const text = `${fits}\n${over}\n"desiredLRP"\n${over}"Request"\nz\n`;
    const outcome = await scan([Buffer.from(text)], 12);
    expect(outcome.tooLong).toEqual([
      [2, 13],
      [4, 22],
    ]);
    expect(outcome.lines).toEqual([{ lineNo: 3, text: '"desiredLRP"' }]);
    expect(outcome.counts).toEqual([3, 1]);
  });

  it("agrees with reading line by line on random input, chunking and limits", async () => {
    const next = seededRandom(7);
    for (let round = 0; round < 400; round++) {
      const bytes = randomInput(next);
      const chunks = randomChunks(bytes, next);
      const limit = next() < 0.3 ? 1 + Math.floor(next() * 60) : 1024;
      const expected = await reference(chunks, limit);
      expect(await scan(chunks, limit), `round ${round}`).toEqual(expected);
    }
  });

  it("reads chunks handed in one reused buffer (overwritten after each) like fresh ones", async () => {
    const next = seededRandom(5);
    for (let round = 0; round < 200; round++) {
      const bytes = randomInput(next);
      const chunks = randomChunks(bytes, next);
      const limit = next() < 0.3 ? 1 + Math.floor(next() * 60) : 1024;
      const shared = Buffer.alloc(80);
      async function* reused() {
        for (const chunk of chunks) {
          await Promise.resolve(); // a file read
          chunk.copy(shared);
          yield shared.subarray(0, chunk.length);
          shared.fill(0x41); // the reader's next read lands here
        }
      }
      const outcome: Outcome = { lines: [], tooLong: [], counts: [0, 0] };
      const options = {
        maxLineBytes: limit,
        onTooLong: (lineNo: number, size: number) => outcome.tooLong.push([lineNo, size]),
        onLines: (lines: number, nonJson: number) => {
          outcome.counts[0] += lines;
          outcome.counts[1] += nonJson;
        },
      };
      for await (const line of scanCandidates(reused(), options)) outcome.lines.push(line);
      expect(outcome, `round ${round}`).toEqual(await reference(chunks, limit));
    }
  });

  it("counts and finds the same in chunks read into its finder's block (the byte kernel's)", async () => {
    const next = seededRandom(6);
    // Mostly lager-like lines, so that whole ranges are counted in bulk, and some that are not.
    const lager = '{"timestamp":"1.5","message":"x.y","data":{}}\n';
    for (let round = 0; round < 300; round++) {
      const pieces = [randomInput(next)];
      for (let i = Math.floor(next() * 30); i > 0; i--) {
        pieces.push(
          Buffer.from(next() < 0.9 ? lager : "plain\n"),
          randomInput(next).subarray(0, 9),
        );
      }
      const chunks = randomChunks(Buffer.concat(pieces), next, 400);
      const limit = next() < 0.3 ? 1 + Math.floor(next() * 60) : 1024;
      const finder = new CandidateFinder(candidateNeedles);
      const block = finder.blockBuffer(400);
      async function* intoBlock() {
        for (const chunk of chunks) {
          await Promise.resolve(); // a file read
          block.fill(0x7b); // stale bytes: a brace
          chunk.copy(block);
          yield block.subarray(0, chunk.length);
        }
      }
      const outcome: Outcome = { lines: [], tooLong: [], counts: [0, 0] };
      const options = {
        finder,
        maxLineBytes: limit,
        onTooLong: (lineNo: number, size: number) => outcome.tooLong.push([lineNo, size]),
        onLines: (lines: number, nonJson: number) => {
          outcome.counts[0] += lines;
          outcome.counts[1] += nonJson;
        },
      };
      for await (const line of scanCandidates(intoBlock(), options)) outcome.lines.push(line);
      expect(outcome, `round ${round}`).toEqual(await reference(chunks, limit));
    }
  });

  it("without counting lines, gives each line's byte offset (and the over-long ones')", async () => {
    const next = seededRandom(9);
    for (let round = 0; round < 300; round++) {
      const bytes = randomInput(next);
      const chunks = randomChunks(bytes, next);
      const limit = next() < 0.3 ? 1 + Math.floor(next() * 60) : 1024;
      const lines: Line[] = [];
      const tooLong: [number, number][] = [];
      let counted = 0;
      const options = {
        maxLineBytes: limit,
        countLines: false,
        onTooLongAt: (offset: number, size: number) => tooLong.push([offset, size]),
        onLines: () => counted++,
      };
      for await (const line of scanCandidates(streamOf(chunks), options)) lines.push(line);
      const expected = await reference(chunks, limit);
      const offsets = lineOffsets(bytes);
      expect(lines, `round ${round}`).toEqual(
        expected.lines.map((line) => ({
          lineNo: 0,
          text: line.text,
          offset: offsets[line.lineNo - 1],
        })),
      );
      expect(tooLong).toEqual(
        expected.tooLong.map(([lineNo, size]) => [offsets[lineNo - 1], size]),
      );
      expect(counted).toBe(0);
    }
  });
});

/** The byte offset of each line's first byte. */
function lineOffsets(bytes: Buffer): number[] {
  const offsets = [0];
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1))
    offsets.push(at + 1);
  return offsets;
}
