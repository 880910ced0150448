import { describe, expect, it } from "vitest";
import { ByteKernel } from "../../../../src/request-input/scrape/byte-kernel.js";
import { seededRandom } from "../../../kit/seeded-random.js";

const anchors = ['quest"', "Defini", 'LRP"', "p-messa"].map((text) => Buffer.from(text));

/** Bytes drawn from a few that the anchors and counts care about, so that they meet often. */
function randomBytes(next: () => number, length: number): Buffer {
  const alphabet = Buffer.from('q"Dip-LR{{\n\n\nx');
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = alphabet[Math.floor(next() * alphabet.length)] ?? 0;
  return bytes;
}

function kernelWith(bytes: Buffer, blockBytes: number): ByteKernel {
  const kernel = ByteKernel.create(anchors, blockBytes);
  if (kernel === undefined) throw new Error("this engine has no WebAssembly SIMD");
  kernel.block.fill(0x7b); // stale bytes after the data: `{`
  bytes.copy(kernel.block);
  return kernel;
}

describe("ByteKernel", () => {
  it("counts newlines, and sees one not followed by a brace, exactly at any alignment", () => {
    const next = seededRandom(11);
    for (let round = 0; round < 300; round++) {
      const bytes = randomBytes(next, Math.floor(next() * 300));
      // Most rounds: lines that all start with `{`, as lager's do (but maybe for one).
      if (round % 4 !== 0) {
        for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0x0a) bytes[i + 1] = 0x7b;
        if (round % 4 === 1) bytes[Math.floor(next() * bytes.length)] = 0x0a;
      }
      const kernel = kernelWith(bytes, 512);
      const from = Math.floor(next() * (bytes.length + 1));
      const to = from + Math.floor(next() * (bytes.length - from + 1));
      const view = kernel.block.subarray(0, bytes.length);
      let newlines = 0;
      let braced = true;
      for (let i = from; i < to; i++) {
        if (bytes[i] === 0x0a) newlines++;
        if (bytes[i] === 0x0a && bytes[i + 1] !== 0x7b && i + 1 < to) braced = false;
      }
      const counted = kernel.countLines(view, [from, to]);
      expect(counted, `round ${round}`).toEqual({ newlines, braced });
    }
  });

  it("counts long runs exactly (its byte counters are summed before they overflow)", () => {
    const lines = Buffer.from("{\n".repeat(50_000) + "\n".repeat(70_000));
    const kernel = kernelWith(lines, lines.length);
    const counted = kernel.countLines(kernel.block, [0, lines.length]);
    expect(counted).toEqual({ newlines: 120_000, braced: false });
    expect(kernel.countLines(kernel.block, [1, 100_000])).toEqual({
      newlines: 50_000,
      braced: true,
    });
  });

  it("calls back at every index holding an anchor's first and last bytes, in order", () => {
    const next = seededRandom(12);
    for (let round = 0; round < 300; round++) {
      const bytes = randomBytes(next, Math.floor(next() * 400));
      const kernel = kernelWith(bytes, 1024);
      const offset = Math.floor(next() * 20);
      const view = kernel.block.subarray(offset, bytes.length);
      const from = Math.floor(next() * (view.length + 1));
      const to = from + Math.floor(next() * (view.length - from + 1));
      const visited: number[] = [];
      kernel.anchorCandidates(view, [from, to], (index) => visited.push(index));
      const expected: number[] = [];
      for (let i = from; i < to; i++) {
        const holds = anchors.some(
          (anchor) =>
            kernel.block[offset + i] === anchor[0] &&
            kernel.block[offset + i + anchor.length - 1] === anchor[anchor.length - 1],
        );
        if (holds) expected.push(i);
      }
      expect(
        visited.filter((index) => index < to),
        `round ${round}`,
      ).toEqual(expected);
      expect(visited.every((index) => index < to + 16)).toBe(true);
    }
  });

  it("finds more candidates than its list holds at once (it resumes after the last)", () => {
    const bytes = Buffer.from('quest"'.repeat(40_000));
    const kernel = kernelWith(bytes, bytes.length);
    const visited: number[] = [];
    kernel.anchorCandidates(kernel.block, [0, bytes.length], (index) => visited.push(index));
    expect(visited).toEqual(Array.from({ length: 40_000 }, (_, i) => i * 6));
  });

  it("holds only buffers in its own memory", () => {
    const kernel = kernelWith(Buffer.alloc(0), 64);
    expect(kernel.holds(kernel.block.subarray(3, 9))).toBe(true);
    expect(kernel.holds(Buffer.alloc(64))).toBe(false);
    expect(kernel.holds(kernelWith(Buffer.alloc(0), 64).block)).toBe(false);
  });
});
