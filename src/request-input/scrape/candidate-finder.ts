import { candidateNeedles } from "./classify-line.js";

/**
 * Pieces of the candidate needles that Buffer.indexOf finds fast. A needle of 8 bytes or more is
 * searched for with an initial probe on its first byte that soon turns into Boyer-Moore-Horspool;
 * every needle starts with `"`, which JSON repeats every few bytes, so each needle cost a slow
 * pass of its own. A piece shorter than 8 bytes is searched for with memchr on its first byte,
 * so each piece starts with a byte that is rare in lager logs (q, D, L, p), and one piece serves
 * several needles: `quest"` ends seven of them. A block then costs one fast pass per piece.
 */
const anchorTexts = ['quest"', "Defini", 'LRP"', "p-messa"];

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
 * Finds needles (ASCII strings) in raw bytes: the anchors are searched for with the engine's
 * native substring search, and only their hits are checked against the whole needles. UTF-8
 * never puts an ASCII byte inside a multi-byte sequence, so a byte-level hit is a hit in the
 * decoded text (`isCandidateLine`).
 */
export class CandidateFinder {
  private readonly groups: AnchorGroup[] = [];

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
   * The offsets of the needles found in `block[from, to)`, ascending (a line may hold several;
   * a needle found by two anchors is listed twice).
   */
  hits(block: Buffer, from: number, to: number): number[] {
    const found: number[] = [];
    for (const { anchor, needles } of this.groups) {
      for (let at = block.indexOf(anchor, from); at >= 0 && at < to;) {
        for (const needle of needles) {
          const start = at - needle.at;
          if (start >= from && start + needle.bytes.length <= to && matches(block, start, needle)) {
            found.push(start);
            break;
          }
        }
        at = block.indexOf(anchor, at + 1);
      }
    }
    return this.groups.length > 1 ? found.sort((a, b) => a - b) : found;
  }

  /** True when `bytes` holds a needle. */
  holds(bytes: Buffer): boolean {
    return this.hits(bytes, 0, bytes.length).length > 0;
  }
}

function matches(block: Buffer, start: number, { bytes }: Needle): boolean {
  for (let i = 0; i < bytes.length; i++) if (block[start + i] !== bytes[i]) return false;
  return true;
}
