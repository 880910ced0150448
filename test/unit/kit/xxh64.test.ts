import { describe, expect, it } from "vitest";
import { xxh64, xxh64Hex } from "../../kit/xxh64.js";

// Expected values: the XXH64 reference vectors, and `xxhsum -H64` (xxhash 0.8.1) for the rest.
describe("xxh64", () => {
  it.each([
    ["", "ef46db3751d8e999"],
    ["a", "d24ec4f1a98c6e5b"],
    ["abc", "44bc2cf5ad770999"],
    ["hello world", "45ab6734b21e6968"],
    ["0123456789012345678901234567890", "8b80da128591b789"],
    ["01234567890123456789012345678901", "e5cc9f411ea110ba"],
    ["x".repeat(100), "92f0de5a88a3c094"],
    ["café", "9a40a9b974d85a6a"],
  ])("hashes %j to %s", (input, expected) => {
    expect(xxh64Hex(input)).toBe(expected);
  });

  it("names the buildpack directory Cloud Controller writes into a staging task", () => {
    const key = "ba031dee-c426-4a5a-b34d-9bd25b959f6b_8b683c2237056089dea24a2a4d70606e8a4a67cf";
    expect(xxh64Hex(key)).toBe("911f171375c4353e");
  });

  it("hashes bytes and strings alike and pads to 16 digits", () => {
    expect(xxh64(new TextEncoder().encode("abc"))).toBe(0x44bc2cf5ad770999n);
    const hex = xxh64Hex("a string whose hash is arbitrary");
    expect(hex).toMatch(/^[0-9a-f]{16}$/);
  });
});
