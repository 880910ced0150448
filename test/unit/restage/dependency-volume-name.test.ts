import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { currentOwner, formatOwner } from "../../../src/owner/run-owner.js";
import {
  dependencyVolumeLabels,
  dependencyVolumeName,
  labelValue,
  markerVolumeLabels,
  markerVolumeName,
} from "../../../src/restage/dependency-volume-name.js";

const body = "a".repeat(64);

describe("dependencyVolumeName", () => {
  it("is restager-dep- and 24 hex of sha256(cache key, newline, body digest)", () => {
    const expected = createHash("sha256").update(`bp-key\n${body}`).digest("hex").slice(0, 24);
    expect(dependencyVolumeName("bp-key", body)).toBe(`restager-dep-${expected}`);
    expect(dependencyVolumeName("bp-key", body)).toMatch(/^restager-dep-[0-9a-f]{24}$/);
  });

  it("changes with the body and with the cache key", () => {
    const names = new Set([
      dependencyVolumeName("bp-key", body),
      dependencyVolumeName("bp-key", "b".repeat(64)),
      dependencyVolumeName("other-key", body),
      // The separator keeps ("a", "b…") and ("a\nb", "…") apart.
      dependencyVolumeName("bp-key\n" + body, ""),
    ]);
    expect(names.size).toBe(4);
  });

  it("names the marker after the volume", () => {
    expect(markerVolumeName("restager-dep-0123")).toBe("restager-dep-0123-complete");
  });
});

describe("dependency volume labels", () => {
  it("marks volume and marker as restager's dependency cache, with the fill token and owner", () => {
    expect(dependencyVolumeLabels("bp-key", "t1")).toEqual({
      "io.restager.managed": "true",
      "io.restager.kind": "dependency",
      "io.restager.cache-key": "bp-key",
      "io.restager.fill-token": "t1",
      // The filling process: the next restage reaps a half-filled volume once it is gone.
      "io.restager.owner": formatOwner(currentOwner()),
    });
    expect(markerVolumeLabels("restager-dep-0123", "t1")).toEqual({
      "io.restager.managed": "true",
      "io.restager.kind": "dependency",
      "io.restager.completes": "restager-dep-0123",
      "io.restager.fill-token": "t1",
    });
  });

  it("keeps label values printable and short", () => {
    expect(labelValue("a\nb\u0000c")).toBe("a?b?c");
    const long = labelValue("k".repeat(500));
    expect(long).toHaveLength(128);
    expect(long.endsWith("...")).toBe(true);
  });
});
