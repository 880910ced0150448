/**
 * XXH64 (seed 0 by default), pure and dependency-free.
 *
 * Cloud Controller names each admin buildpack's directory in a staging task
 * `/tmp/buildpacks/<XXH64 of the buildpack key>` (16 lowercase hex digits, big-endian, as
 * `xxhsum -H64` prints it). Kept free of Node APIs so it can move to `src/` unchanged.
 */

const MASK = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;
const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
const add = (a: bigint, b: bigint): bigint => (a + b) & MASK;

function round(acc: bigint, lane: bigint): bigint {
  return mul(rotl(add(acc, mul(lane, P2)), 31n), P1);
}

function mergeRound(acc: bigint, value: bigint): bigint {
  return add(mul(acc ^ round(0n, value), P1), P4);
}

function readLane(bytes: Uint8Array, offset: number, width: number): bigint {
  let value = 0n;
  for (let i = width - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[offset + i] ?? 0);
  return value;
}

function stripes(bytes: Uint8Array, seed: bigint): { hash: bigint; offset: number } {
  const v = [add(add(seed, P1), P2), add(seed, P2), seed, (seed - P1) & MASK];
  let offset = 0;
  for (; offset + 32 <= bytes.length; offset += 32) {
    for (let lane = 0; lane < 4; lane++) {
      v[lane] = round(v[lane] ?? 0n, readLane(bytes, offset + lane * 8, 8));
    }
  }
  const [v1 = 0n, v2 = 0n, v3 = 0n, v4 = 0n] = v;
  let hash = add(add(rotl(v1, 1n), rotl(v2, 7n)), add(rotl(v3, 12n), rotl(v4, 18n)));
  for (const lane of v) hash = mergeRound(hash, lane);
  return { hash, offset };
}

function finish(bytes: Uint8Array, hash: bigint, start: number): bigint {
  let h = hash;
  let i = start;
  for (; i + 8 <= bytes.length; i += 8) {
    h = add(mul(rotl(h ^ round(0n, readLane(bytes, i, 8)), 27n), P1), P4);
  }
  if (i + 4 <= bytes.length) {
    h = add(mul(rotl(h ^ mul(readLane(bytes, i, 4), P1), 23n), P2), P3);
    i += 4;
  }
  for (; i < bytes.length; i++) h = mul(rotl(h ^ mul(BigInt(bytes[i] ?? 0), P5), 11n), P1);
  h = mul(h ^ (h >> 33n), P2);
  h = mul(h ^ (h >> 29n), P3);
  return h ^ (h >> 32n);
}

/** XXH64 of `input` (a string is hashed as its UTF-8 bytes). */
export function xxh64(input: Uint8Array | string, seed = 0n): bigint {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const start = bytes.length >= 32 ? stripes(bytes, seed) : { hash: add(seed, P5), offset: 0 };
  return finish(bytes, add(start.hash, BigInt(bytes.length)), start.offset);
}

/** The canonical 16-digit lowercase hex form (`xxhsum -H64`, Go `%016x`). */
export function xxh64Hex(input: Uint8Array | string): string {
  return xxh64(input).toString(16).padStart(16, "0");
}
