import { ByteKernel } from "./byte-kernel.js";
import { candidateNeedles } from "./classify-line.js";

/**
 * Pieces of the candidate needles that Buffer.indexOf finds fast (and that the byte kernel,
 * byte-kernel.ts, looks for by their first and last bytes). A needle of 8 bytes or more is
 * searched for with an initial probe on its first byte that soon turns into Boyer-Moore-Horspool;
 * every needle starts with `"`, which JSON repeats every few bytes, so each needle cost a slow
 * pass of its own. A piece shorter than 8 bytes is searched for with memchr on its first byte,
 * so each piece starts with a byte that is rare in lager logs (q, D, L, p), and one piece serves
 * several needles: `quest"` ends seven of them. A block then costs one fast pass per piece.
 */
const anchorTexts = ['quest"', "Defini", 'LRP"', "p-messa"];

/**
 * Bytes a reader searches with Buffer.indexOf before it asks for the byte kernel's block
 * (`blockBuffer`). Assembling and compiling the kernel costs a few milliseconds of a cold start,
 * about what it saves on 8 MiB: a small log, or the end of a big one where the latest request
 * is found, is read without it (issue 14 goal 4).
 */
export const kernelAfterBytes = 8 * 1024 * 1024;

interface Needle {
  bytes: Buffer;
  /** Where the anchor sits in the needle. */
  at: number;
}

interface AnchorGroup {
  anchor: Buffer;
  needles: Needle[];
}

/**
 * Finds needles (ASCII strings) in raw bytes: the anchors are searched for with the byte kernel
 * in blocks read into its memory (`blockBuffer`), elsewhere with the engine's native substring
 * search, and only their hits are checked against the whole needles. UTF-8
 * never puts an ASCII byte inside a multi-byte sequence, so a byte-level hit is a hit in the
 * decoded text (`isCandidateLine`).
 */
export class CandidateFinder {
  private readonly groups: AnchorGroup[] = [];
  private kernel: ByteKernel | undefined;

  constructor(needles: readonly string[] = candidateNeedles) {
    for (const needle of needles) {
      const anchor = anchorTexts.find((text) => needle.includes(text)) ?? needle;
      let group = this.groups.find((one) => one.anchor.toString("latin1") === anchor);
      if (!group) {
        group = { anchor: Buffer.from(anchor, "latin1"), needles: [] };
        this.groups.push(group);
      }
      group.needles.push({ bytes: Buffer.from(needle, "latin1"), at: needle.indexOf(anchor) });
    }
  }

  /**
   * A buffer of `bytes` to read blocks into. Blocks inside it are searched by the byte kernel
   * (byte-kernel.ts), several times faster than with Buffer.indexOf; any other buffer still
   * works. Each call replaces the last one's buffer.
   */
  blockBuffer(bytes: number): Buffer {
    this.kernel = ByteKernel.create(
      this.groups.map((group) => group.anchor),
      bytes,
    );
    return this.kernel?.block ?? Buffer.allocUnsafe(bytes);
  }

  /** The byte kernel, when `block` lies in its memory (for counting its lines). */
  kernelOf(block: Buffer): ByteKernel | undefined {
    return this.kernel?.holds(block) ? this.kernel : undefined;
  }

  /**
   * The offsets of the needles found in `block[from, to)`, ascending (a line may hold several;
   * a needle found by two anchors is listed twice).
   */
  hits(block: Buffer, from: number, to: number): number[] {
    const kernel = this.kernelOf(block);
    const found = kernel
      ? this.kernelHits(kernel, block, [from, to])
      : this.searchHits(block, from, to);
    return this.groups.length > 1 ? found.sort((a, b) => a - b) : found;
  }

  /** The needles at the kernel's anchor candidates: those of each group whose anchor sits there. */
  private kernelHits(kernel: ByteKernel, block: Buffer, [from, to]: [number, number]): number[] {
    const hits = new Hits(block, from, to);
    const groups = this.groups;
    // Indexed loops: this runs at every candidate (100,000 in the bench's 512 MB log), often
    // before it is optimized, and a for-of there allocates an iterator result per step.
    kernel.anchorCandidates(block, [from, to], (at) => {
      if (at >= to) return;
      for (let index = 0; index < groups.length; index++) {
        const group = groups[index] as AnchorGroup;
        if (block[at] === group.anchor[0]) hits.addNeedleAt(at, group.needles);
      }
    });
    return hits.found;
  }

  private searchHits(block: Buffer, from: number, to: number): number[] {
    const hits = new Hits(block, from, to);
    for (const { anchor, needles } of this.groups) {
      for (let at = block.indexOf(anchor, from); at >= 0 && at < to;) {
        hits.addNeedleAt(at, needles);
        at = block.indexOf(anchor, at + 1);
      }
    }
    return hits.found;
  }

  /** True when `bytes` holds a needle. */
  holds(bytes: Buffer): boolean {
    return this.hits(bytes, 0, bytes.length).length > 0;
  }
}

/** The needle starts found in `block[from, to)`; one object per search, none per anchor hit. */
class Hits {
  readonly found: number[] = [];

  constructor(
    private readonly block: Buffer,
    private readonly from: number,
    private readonly to: number,
  ) {}

  /** Adds the start of the first of `needles` (of one anchor) whose anchor sits at `at`. */
  addNeedleAt(at: number, needles: readonly Needle[]): void {
    for (let index = 0; index < needles.length; index++) {
      const needle = needles[index] as Needle;
      const start = at - needle.at;
      const end = start + needle.bytes.length;
      if (start >= this.from && end <= this.to && matches(this.block, start, needle)) {
        this.found.push(start);
        return;
      }
    }
  }
}

function matches(block: Buffer, start: number, { bytes }: Needle): boolean {
  for (let i = 0; i < bytes.length; i++) if (block[start + i] !== bytes[i]) return false;
  return true;
}
