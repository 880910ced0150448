import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  candidateLinesBackwards,
  lineNumberAt,
} from "../../../../src/request-input/scrape/backward-lines.js";
import {
  candidateNeedles,
  familyNeedles,
  isCandidateLine,
} from "../../../../src/request-input/scrape/classify-line.js";
import { logFixturePath } from "../../../kit/fixture-files.js";
import { seededRandom } from "../../../kit/seeded-random.js";

let dir: string;
let files = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-backward-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fixture = logFixturePath;

async function fileOf(bytes: Buffer | string): Promise<string> {
  const path = join(dir, `log-${files++}`);
  await writeFile(path, bytes);
  return path;
}

interface Read {
  lines: { offset: number; text: string }[];
  tooLong: [number, number][];
}

async function backwards(
  path: string,
  maxLineBytes: number,
  {
    blockBytes,
    needles,
    kernelAfterBytes = 0,
  }: { blockBytes?: number; needles?: readonly string[]; kernelAfterBytes?: number } = {},
): Promise<Read> {
  const read: Read = { lines: [], tooLong: [] };
  const options = {
    maxLineBytes,
    blockBytes,
    needles,
    // The byte kernel from the first block unless a test says otherwise.
    kernelAfterBytes,
    onTooLong: (offset: number, bytes: number) => read.tooLong.push([offset, bytes]),
  };
  for await (const line of candidateLinesBackwards(path, options)) read.lines.push(line);
  return read;
}

/** The same file split forward, naively: every candidate line and over-long line, last first. */
function reference(bytes: Buffer, maxLineBytes: number): Read {
  const read: Read = { lines: [], tooLong: [] };
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    const line = bytes.subarray(start, end);
    if (line.length > maxLineBytes) read.tooLong.push([start, line.length]);
    else {
      const text = line.toString("utf8").replace(/\r$/, "");
      if (isCandidateLine(line.toString("latin1"))) read.lines.push({ offset: start, text });
    }
    start = end + 1;
  }
  read.lines.reverse();
  read.tooLong.reverse();
  return read;
}

const fragments = [
  ...candidateNeedles,
  '{"timestamp":"1.5","message":"x.y","data":{}}',
  "plain text",
  "é€",
  "\r\n",
  "\n",
  "\n",
  "x".repeat(40),
];

describe("candidateLinesBackwards", () => {
  it("yields candidate lines last first, with CRLF endings and a last line without newline", async () => {
    const text = 'noise\n{"data":{"taskDefinition":{}}}\r\nmore {\n{"data":{"desiredLRP":{}}}';
    const path = await fileOf(text);
    for (const blockBytes of [undefined, 1, 5, 16]) {
      expect(await backwards(path, 1024, { blockBytes })).toEqual({
        lines: [
          { offset: 45, text: '{"data":{"desiredLRP":{}}}' },
          { offset: 6, text: '{"data":{"taskDefinition":{}}}' },
        ],
        tooLong: [],
      });
    }
  });

  it("skips an over-long line without holding it, whether inside a block or across blocks", async () => {
    const long = `{"data":{"taskDefinition":"${"x".repeat(200)}"}}`;
    const path = await fileOf(`"desiredLRP"\n${long}\n"Request"\n`);
    for (const blockBytes of [16, 64, 4096]) {
      const read = await backwards(path, 100, { blockBytes });
      expect(read.lines.map((line) => line.text)).toEqual(['"Request"', '"desiredLRP"']);
      expect(read.tooLong).toEqual([[13, long.length]]);
    }
  });

  it("agrees with a forward split on random input, block sizes and limits", async () => {
    const next = seededRandom(11);
    for (let round = 0; round < 150; round++) {
      const parts: Buffer[] = [];
      const count = Math.floor(next() * 60);
      for (let i = 0; i < count; i++) {
        parts.push(Buffer.from(fragments[Math.floor(next() * fragments.length)] ?? ""));
      }
      const bytes = Buffer.concat(parts);
      const path = await fileOf(bytes);
      const limit = next() < 0.3 ? 1 + Math.floor(next() * 60) : 1024;
      const blockBytes = 1 + Math.floor(next() * 50);
      expect(await backwards(path, limit, { blockBytes }), `round ${round}`).toEqual(
        reference(bytes, limit),
      );
    }
  });

  it("reads the same when it takes up the byte kernel mid-file, or never", async () => {
    const next = seededRandom(23);
    for (let round = 0; round < 60; round++) {
      const parts: Buffer[] = [];
      for (let i = 0; i < 40; i++) {
        parts.push(Buffer.from(fragments[Math.floor(next() * fragments.length)] ?? ""));
      }
      const bytes = Buffer.concat(parts);
      const path = await fileOf(bytes);
      const blockBytes = 1 + Math.floor(next() * 50);
      const kernelAfterBytes = 1 + Math.floor(next() * bytes.length);
      for (const after of [kernelAfterBytes, 1 << 30]) {
        const read = await backwards(path, 1024, { blockBytes, kernelAfterBytes: after });
        expect(read, `round ${round}, kernel after ${after}`).toEqual(reference(bytes, 1024));
      }
    }
  });

  it.each(["stager-bbs-2016.log", "stager-receptor-2015.log", "nsync-listener-2016.log"])(
    "reads the fixture %s like a forward split, across block boundaries",
    async (name) => {
      const bytes = readFileSync(fixture(name));
      for (const blockBytes of [97, 4096]) {
        expect(await backwards(fixture(name), 1 << 20, { blockBytes })).toEqual(
          reference(bytes, 1 << 20),
        );
      }
    },
  );

  it("finds a request on the first line of a file of many blocks, CRLF-ended", async () => {
    const request = '{"data":{"taskDefinition":{}}}';
    const noise = '{"message":"stager.tick","data":{}}\r\n'.repeat(2000);
    const path = await fileOf(`${request}\r\n${noise}`);
    for (const blockBytes of [4096, 4099, 1 << 20]) {
      expect(await backwards(path, 1024, { blockBytes })).toEqual({
        lines: [{ offset: 0, text: request }],
        tooLong: [],
      });
    }
  });

  it("finds nothing in a file of many blocks without a candidate line, with or without a last newline", async () => {
    const noise = '{"message":"stager.staging-request.tick","data":{"x":"quest Defini LRP"}}\n';
    for (const text of [noise.repeat(500), noise.repeat(500).trimEnd()]) {
      expect(await backwards(await fileOf(text), 1024, { blockBytes: 1000 })).toEqual({
        lines: [],
        tooLong: [],
      });
    }
  });

  it("looks only for the needles it is given (a task family read skips LRP lines)", async () => {
    const text = '{"data":{"taskDefinition":{}}}\n{"data":{"desiredLRP":{}}}\n';
    const read = await backwards(await fileOf(text), 1024, {
      blockBytes: 7,
      needles: familyNeedles("task"),
    });
    expect(read.lines).toEqual([{ offset: 0, text: '{"data":{"taskDefinition":{}}}' }]);
  });

  it("reads nothing from an empty file", async () => {
    expect(await backwards(await fileOf(""), 10)).toEqual({ lines: [], tooLong: [] });
  });
});

describe("lineNumberAt", () => {
  it("counts the lines before an offset", async () => {
    const path = await fileOf("a\nbb\r\n\nccc");
    expect(await lineNumberAt(path, 0)).toBe(1);
    expect(await lineNumberAt(path, 2)).toBe(2);
    expect(await lineNumberAt(path, 7)).toBe(4);
  });
});
