/**
 * Just enough of the WebAssembly binary format (core spec, §5) to assemble the byte kernel
 * (byte-kernel.ts) from code: functions of i32 parameters and one i32 result, one fixed-size
 * memory, everything exported by name. The instructions are spelled out below so that the
 * kernel's code reads as the stack machine it is.
 */

/** Instruction bytes, nested as built; flattened once when the module is assembled. */
export type Code = readonly (number | Code)[];

export interface WasmFunction {
  name: string;
  /** How many i32 parameters; the result is one i32. */
  params: number;
  /** Extra locals (numbered after the parameters): i32 ones first, then v128 ones. */
  i32Locals: number;
  v128Locals: number;
  body: Code;
}

const i32Type = 0x7f;
const v128Type = 0x7b;
const emptyBlock = 0x40;
const simd = 0xfd;

/** The bytes of nested code, in order. */
function flatten(code: Code): number[] {
  return (code as unknown[]).flat(Infinity) as number[];
}

/**
 * Flat bytes joined, copied natively: flattening the function bodies again at every level (for
 * their vector, their section, the module) cost several milliseconds of a cold start.
 */
function concatBytes(parts: readonly (number | readonly number[])[]): number[] {
  return ([] as number[]).concat(...(parts as number[][]));
}

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function vector(items: readonly Code[]): number[] {
  return flatten([unsignedLeb(items.length), items]);
}

function section(id: number, body: Code): number[] {
  const bytes = flatten(body);
  return concatBytes([id, unsignedLeb(bytes.length), bytes]);
}

function nameOf(text: string): number[] {
  return vector([...text].map((char) => [char.charCodeAt(0)]));
}

/** Memory access immediates: alignment (log2) and offset. */
function memarg(align: number, offset = 0): Code {
  return [align, unsignedLeb(offset)];
}

/** The instructions the kernel uses. */
export const op = {
  block: [0x02, emptyBlock],
  loop: [0x03, emptyBlock],
  if: [0x04, emptyBlock],
  end: [0x0b],
  br: (depth: number) => [0x0c, unsignedLeb(depth)],
  brIf: (depth: number) => [0x0d, unsignedLeb(depth)],
  return: [0x0f],
  get: (local: number) => [0x20, unsignedLeb(local)],
  set: (local: number) => [0x21, unsignedLeb(local)],
  tee: (local: number) => [0x22, unsignedLeb(local)],
  i32: (value: number) => [0x41, signedLeb(value)],
  load8: [0x2d, memarg(0)],
  store32: [0x36, memarg(2)],
  eqz: [0x45],
  eq: [0x46],
  ne: [0x47],
  ltU: [0x49],
  gtU: [0x4b],
  geU: [0x4f],
  ctz: [0x68],
  popcnt: [0x69],
  add: [0x6a],
  sub: [0x6b],
  and: [0x71],
  or: [0x72],
  shl: [0x74],
  /** v128.load of the 16 bytes at the address on the stack plus `offset`. */
  load128: (offset = 0) => [simd, 0x00, memarg(0, offset)],
  /** i8x16.shuffle: lane k of the result is lane `lanes[k]` of the two vectors (0–31). */
  shuffle8: (lanes: readonly number[]) => [simd, 0x0d, lanes],
  splat8: [simd, 0x0f],
  eq8: [simd, 0x23],
  and128: [simd, 0x4e],
  /** a & ~b */
  andNot128: [simd, 0x4f],
  or128: [simd, 0x50],
  anyTrue: [simd, 0x53],
  bitmask8: [simd, 0x64],
} as const;

/** A module of `functions` and one memory of `pages` (64 KiB each) that never grows. */
export function wasmModule(functions: readonly WasmFunction[], pages: number): Uint8Array {
  const types = functions.map((fn) => [
    0x60,
    vector(Array.from({ length: fn.params }, () => [i32Type])),
    vector([[i32Type]]),
  ]);
  const exports = [
    [nameOf("memory"), 0x02, 0],
    ...functions.map((fn, index) => [nameOf(fn.name), 0x00, unsignedLeb(index)]),
  ];
  const bodies = functions.map((fn) => {
    const locals = vector([
      [unsignedLeb(fn.i32Locals), i32Type],
      [unsignedLeb(fn.v128Locals), v128Type],
    ]);
    const body = flatten([locals, fn.body, op.end]);
    return concatBytes([unsignedLeb(body.length), body]);
  });
  const code = concatBytes([unsignedLeb(bodies.length), ...bodies]);
  return new Uint8Array(
    concatBytes([
      [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      section(1, vector(types)),
      section(3, vector(functions.map((_, index) => unsignedLeb(index)))),
      section(5, vector([[0x01, unsignedLeb(pages), unsignedLeb(pages)]])),
      section(7, vector(exports)),
      concatBytes([10, unsignedLeb(code.length), code]),
    ]),
  );
}
