import { describe, expect, it } from "vitest";
import { defaultCacheDir } from "../../../src/http/default-cache-dir.js";

describe("defaultCacheDir", () => {
  it("uses $XDG_CACHE_HOME/restager", () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/var/cache/me" }, "/home/u")).toBe(
      "/var/cache/me/restager",
    );
  });

  it("falls back to ~/.cache/restager when unset or relative", () => {
    expect(defaultCacheDir({}, "/home/u")).toBe("/home/u/.cache/restager");
    expect(defaultCacheDir({ XDG_CACHE_HOME: "rel/cache" }, "/home/u")).toBe(
      "/home/u/.cache/restager",
    );
  });
});
