import { describe, expect, it } from "vitest";
import { parseOomKills } from "../../../src/container/oom-kills.js";

describe("parseOomKills", () => {
  it("reads cgroup v1 memory.oom_control", () => {
    expect(parseOomKills("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")).toBe(2);
  });

  it("reads cgroup v2 memory.events", () => {
    const events = "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n";
    expect(parseOomKills(events)).toBe(1);
  });

  it("is undefined when the kernel does not count", () => {
    expect(parseOomKills("oom_kill_disable 0\nunder_oom 0\n")).toBeUndefined();
  });
});
