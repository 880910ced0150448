import { describe, expect, it } from "vitest";
import type { InstanceOutcome } from "../../../src/launch/instance-outcome.js";
import { InstanceReplacer } from "../../../src/launch/replace-instances.js";

const outcome = (index: number, state: "running" | "crashed"): InstanceOutcome => ({
  index,
  guid: `g${index}`,
  id: `new${index}`,
  name: `n${index}`,
  state,
  ports: [],
  lastLines: [],
});

function replacerOf(indexes: number[]) {
  const removed: string[] = [];
  const old = indexes.map((index) => ({ id: `old${index}`, name: `o${index}`, index }));
  const runtime = { stopAndRemove: (id: string) => Promise.resolve(void removed.push(id)) };
  return { replacer: new InstanceReplacer(old, runtime), removed };
}

describe("replacing the instances of an older droplet", () => {
  it("removes each old instance once the new one with its index runs", async () => {
    const { replacer, removed } = replacerOf([0, 1]);
    replacer.settled(outcome(1, "running"));
    expect(removed).toEqual(["old1"]);
    replacer.settled(outcome(0, "running"));
    const done = await replacer.finish([outcome(0, "running"), outcome(1, "running")]);
    expect(removed).toEqual(["old1", "old0"]);
    expect(done.map((o) => o.index)).toEqual([1, 0]);
  });

  it("keeps an old instance whose replacement crashed, and extra old ones unless all run", async () => {
    const { replacer, removed } = replacerOf([0, 1, 2]);
    replacer.settled(outcome(0, "crashed"));
    replacer.settled(outcome(1, "running"));
    await replacer.finish([outcome(0, "crashed"), outcome(1, "running")]);
    expect(removed).toEqual(["old1"]);
  });

  it("removes old instances beyond the new count when every new instance runs", async () => {
    const { replacer, removed } = replacerOf([0, 1, 2]);
    replacer.settled(outcome(0, "running"));
    await replacer.finish([outcome(0, "running")]);
    expect(removed.sort()).toEqual(["old0", "old1", "old2"]);
  });
});
