import { op, wasmModule, type Code, type WasmFunction } from "./wasm-module.js";

/**
 * The scanner's inner loops as WebAssembly SIMD, over blocks read straight into the module's
 * memory: the positions where an anchor's first and last bytes both sit (candidate-finder.ts
 * checks the rest), and the count of newlines, and of lines starting with `{`. Sixteen bytes are
 * compared per instruction, without a call per hit: on a 512 MB stager log the anchors of
 * build-req's needles cost about 30 ms instead of 85 ms with Buffer.indexOf (which calls memchr
 * again at every `q` and `D`), and counting the lines 10 ms instead of 70 ms with one indexOf per
 * line (issue 14 goal 4; bench/lib/scrape-suite.ts).
 *
 * Memory layout: the block (what the reader fills), slack the wide loads may run into, then
 * the list of positions `find` writes. The memory never grows, so the block's Buffer stays valid.
 */
export class ByteKernel {
  /** Where to read bytes into; only buffers inside it are searched here (`holds`). */
  readonly block: Buffer;
  private readonly memory: ArrayBuffer;
  private readonly exports: KernelExports;
  private readonly found: Uint32Array;

  private constructor(exports: KernelExports, blockBytes: number) {
    this.exports = exports;
    this.memory = exports.memory.buffer;
    this.block = Buffer.from(this.memory, 0, blockBytes);
    this.found = new Uint32Array(this.memory, foundOffset(blockBytes), foundCapacity);
  }

  /**
   * A kernel finding `anchors` (ASCII, at most 32 bytes each), with a block of `blockBytes`;
   * undefined where WebAssembly SIMD is not available or its memory cannot be had (a limit on
   * address space: each memory reserves guard pages), and the caller then uses Buffer.indexOf.
   */
  static create(anchors: readonly Buffer[], blockBytes: number): ByteKernel | undefined {
    if (anchors.some((anchor) => anchor.length === 0 || anchor.length > maxAnchorBytes)) {
      return undefined;
    }
    const pages = Math.ceil((foundOffset(blockBytes) + foundCapacity * 4) / pageBytes);
    const compiled = compile(anchors, pages);
    if (compiled === undefined) return undefined;
    try {
      const instance = new engine.Instance(compiled);
      return new ByteKernel(instance.exports as KernelExports, blockBytes);
    } catch {
      return undefined;
    }
  }

  /** True when `buffer` lies in this kernel's memory (was read into `block`). */
  holds(buffer: Buffer): boolean {
    return buffer.buffer === this.memory;
  }

  /**
   * Calls `visit` with each index of `buffer[from, to)` where an anchor's first and last bytes
   * sit (a superset of the anchors' offsets), ascending; indices up to `to + 15` may follow.
   */
  anchorCandidates(buffer: Buffer, [from, to]: Range, visit: (index: number) => void): void {
    const base = buffer.byteOffset;
    const out = this.found.byteOffset;
    for (let start = base + from; start < base + to;) {
      const count = this.exports.find(start, base + to, out, foundCapacity);
      for (let index = 0; index < count; index++) visit((this.found[index] as number) - base);
      if (count < foundCapacity) return;
      start = (this.found[count - 1] as number) + 1;
    }
  }

  /**
   * The newlines of `buffer[from, to)`, and whether each of them that has a follower inside the
   * range is followed by `{` (every line there but the first starts with one).
   */
  countLines(buffer: Buffer, [from, to]: Range): { newlines: number; braced: boolean } {
    if (from >= to) return { newlines: 0, braced: true };
    const base = buffer.byteOffset;
    const newlines = this.exports.countLines(base + from, base + to, this.found.byteOffset);
    return { newlines, braced: this.found[0] === 0 };
  }
}

/** A half-open range of indices. */
export type Range = [from: number, to: number];

/** The parts of the WebAssembly API used here (the project's typings leave the DOM's out). */
interface Engine {
  Module: new (bytes: Uint8Array) => CompiledModule;
  Instance: new (module: CompiledModule) => { exports: unknown };
}
type CompiledModule = object;
const engine = (globalThis as unknown as { WebAssembly: Engine }).WebAssembly;

interface KernelExports {
  memory: { buffer: ArrayBuffer };
  find(start: number, end: number, out: number, capacity: number): number;
  countLines(start: number, end: number, out: number): number;
}

const pageBytes = 64 * 1024;
const maxAnchorBytes = 32;
/** `find` reads up to 16 + 32 bytes past its range; countLines none. */
const slackBytes = 128;
const foundCapacity = 16 * 1024;

/** Where the positions go: after the block and the slack, 4-byte aligned. */
function foundOffset(blockBytes: number): number {
  return Math.ceil((blockBytes + slackBytes) / 4) * 4;
}

/** Compiled modules by anchors and size; null where the engine rejects SIMD. */
const modules = new Map<string, CompiledModule | null>();

function compile(anchors: readonly Buffer[], pages: number): CompiledModule | undefined {
  const key = `${pages}:${anchors.map((anchor) => anchor.toString("hex")).join(",")}`;
  let compiled = modules.get(key);
  if (compiled === undefined) {
    const functions = [countLinesFunction()];
    if (anchors.length > 0) functions.push(findFunction(anchors));
    try {
      compiled = new engine.Module(wasmModule(functions, pages));
    } catch {
      compiled = null;
    }
    modules.set(key, compiled);
  }
  return compiled ?? undefined;
}

// The code below is nested arrays, flattened once (wasm-module.ts): spreading at every level
// cost several milliseconds of a scrape's start-up.

/** `block; loop; <exit when true>; <body>; repeat` — body branches count from inside the loop. */
function whileNot(exitWhen: Code, body: Code): Code {
  return [op.block, op.loop, exitWhen, op.brIf(1), body, op.br(0), op.end, op.end];
}

function advance(local: number, by: number): Code {
  return [op.get(local), op.i32(by), op.add, op.set(local)];
}

/** Exit when `local + width > end`. */
function pastEnd(local: number, width: number, end: number): Code {
  return [op.get(local), op.i32(width), op.add, op.get(end), op.gtU];
}

/**
 * countLines(start, end, out): returns how many newlines `[start, end)` holds, and writes to
 * `out` 1 if one of them is followed inside the range by anything but `{`, else 0. 64 bytes
 * per turn (a newline's follower found with `andnot`, no count), then byte by byte.
 */
function countLinesFunction(): WasmFunction {
  const [start, end, out, i, n, strayScalar, newlines, brace, isNewline, stray] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
  ];
  const loaded = (index: number) => 10 + index;
  // Each 16 bytes' followers: the last 15 of them and the first of the next 16, by shuffling.
  const followers = Array.from({ length: 16 }, (_, lane) => lane + 1);
  const loads = [0, 1, 2, 3, 4].flatMap((index) => [
    [op.get(i), op.load128(16 * index), op.set(loaded(index))],
  ]);
  const lanes = [0, 1, 2, 3].flatMap((index) => [
    [op.get(loaded(index)), op.get(newlines), op.eq8, op.tee(isNewline)],
    [op.bitmask8, op.popcnt, index > 0 ? op.add : []],
    [op.get(stray), op.get(isNewline), op.get(loaded(index))],
    [op.get(loaded(index + 1)), op.shuffle8(followers), op.get(brace), op.eq8],
    [op.andNot128, op.or128, op.set(stray)],
  ]);
  const newlineAtI = [op.get(i), op.load8, op.i32(0x0a), op.eq];
  const noBraceNext = [op.get(i), op.i32(1), op.add, op.load8, op.i32(0x7b), op.ne];
  const nextInRange = [op.get(i), op.i32(1), op.add, op.get(end), op.ltU];
  return {
    name: "countLines",
    params: 3,
    i32Locals: 3,
    v128Locals: 9,
    body: [
      [op.i32(0x0a), op.splat8, op.set(newlines)],
      [op.i32(0x7b), op.splat8, op.set(brace), op.get(start), op.set(i)],
      // The last byte's follower lies past the range: leave it to the byte-by-byte turns.
      whileNot(pastEnd(i, 65, end), [[loads, lanes, op.get(n), op.add, op.set(n)], advance(i, 64)]),
      whileNot(
        [op.get(i), op.get(end), op.geU],
        [
          [newlineAtI, op.get(n), op.add, op.set(n)],
          [newlineAtI, noBraceNext, op.and, nextInRange, op.and],
          [op.get(strayScalar), op.or, op.set(strayScalar), advance(i, 1)],
        ],
      ),
      [op.get(out), op.get(stray), op.anyTrue, op.get(strayScalar), op.or],
      [op.store32, op.get(n)],
    ],
  };
}

/**
 * find(start, end, out, capacity): writes to `out` (u32s) each index where some anchor's first
 * and last bytes sit, and returns how many; stops early with `capacity` of them. Thirty-two
 * bytes per turn while they fit, then sixteen (positions past `end` may be written). Each
 * distinct offset (0, and each anchor's length - 1) is loaded once per sixteen bytes.
 */
function findFunction(anchors: readonly Buffer[]): WasmFunction {
  const [start, end, out, capacity, i, k, mask] = [0, 1, 2, 3, 4, 5, 6];
  const offsets = [...new Set([0, ...anchors.map((anchor) => anchor.length - 1)])];
  const byteVector = (index: number, last: boolean) => 7 + 2 * index + (last ? 1 : 0);
  const loaded = (offset: number) => 7 + 2 * anchors.length + offsets.indexOf(offset);
  const init = anchors.flatMap((anchor, index) => [
    [op.i32(anchor[0] as number), op.splat8, op.set(byteVector(index, false))],
    [op.i32(anchor[anchor.length - 1] as number), op.splat8],
    op.set(byteVector(index, true)),
  ]);
  const maskAt = (at: number): Code => [
    offsets.flatMap((offset) => [op.get(i), op.load128(at + offset), op.set(loaded(offset))]),
    anchors.flatMap((anchor, index) => [
      [op.get(loaded(0)), op.get(byteVector(index, false)), op.eq8],
      [op.get(loaded(anchor.length - 1)), op.get(byteVector(index, true)), op.eq8],
      op.and128,
      index > 0 ? op.or128 : [],
    ]),
  ];
  const record = (at: number): Code => [
    maskAt(at),
    op.bitmask8,
    op.set(mask),
    whileNot(
      [op.get(mask), op.eqz],
      [
        [op.get(out), op.get(k), op.i32(2), op.shl, op.add],
        [op.get(i), op.i32(at), op.add, op.get(mask), op.ctz, op.add],
        op.store32,
        [op.get(k), op.i32(1), op.add, op.tee(k), op.get(capacity), op.eq],
        [op.if, op.get(k), op.return, op.end],
        [op.get(mask), op.get(mask), op.i32(1), op.sub, op.and, op.set(mask)],
      ],
    ),
  ];
  const wide = [maskAt(0), maskAt(16), op.or128, op.anyTrue];
  return {
    name: "find",
    params: 4,
    i32Locals: 3,
    v128Locals: 2 * anchors.length + offsets.length,
    body: [
      init,
      [op.get(start), op.set(i)],
      whileNot(pastEnd(i, 32, end), [[wide, op.if, record(0), record(16), op.end], advance(i, 32)]),
      whileNot([op.get(i), op.get(end), op.geU], [record(0), advance(i, 16)]),
      op.get(k),
    ],
  };
}
