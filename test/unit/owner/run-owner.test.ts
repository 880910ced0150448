import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { currentOwner, formatOwner, ownerState, parseOwner } from "../../../src/owner/run-owner.js";

describe("run owner", () => {
  it("round-trips through its label form", () => {
    const me = currentOwner();
    expect(parseOwner(formatOwner(me))).toEqual(me);
    expect(me.pid).toBe(process.pid);
  });

  it("is alive for this process and gone for one that exited", () => {
    expect(ownerState(formatOwner(currentOwner()))).toBe("alive");
    const child = spawnSync(process.execPath, ["-e", "0"]);
    const dead = { ...currentOwner(), pid: child.pid ?? 0 };
    expect(ownerState(dead)).toBe("gone");
  });

  it("is gone when the pid now belongs to a process started at another time", () => {
    const me = currentOwner();
    expect(ownerState({ ...me, start: me.start + 1 })).toBe("gone");
  });

  it("cannot judge another machine's or namespace's owner, nor a malformed one", () => {
    const me = currentOwner();
    expect(ownerState({ ...me, machine: "other-4026531999" })).toBe("unknown");
    expect(ownerState("not an owner")).toBe("unknown");
    expect(ownerState(undefined)).toBe("unknown");
  });
});
