import { describe, expect, it } from "vitest";
import { defaultPath, defaultRootPath, processEnv } from "../../../src/container/process-env.js";

const vcap = { name: "vcap", uid: 2000, gid: 2000, home: "/home/vcap" };
const root = { name: "root", uid: 0, gid: 0, home: "/root" };

describe("processEnv", () => {
  it("lets the process env override the container env (last wins)", () => {
    const env = processEnv(["A=container", "B=container"], ["A=process", "C=1", "A=again"], vcap);
    expect(env).toContain("A=again");
    expect(env).toContain("B=container");
    expect(env).toContain("C=1");
    expect(env.filter((e) => e.startsWith("A="))).toHaveLength(1);
  });

  it("adds PATH, USER and HOME only when absent", () => {
    expect(processEnv([], [], vcap)).toEqual([
      `PATH=${defaultPath}`,
      "USER=vcap",
      "HOME=/home/vcap",
    ]);
    expect(processEnv([], [], root)).toContain(`PATH=${defaultRootPath}`);
    const given = processEnv(["PATH=/x"], ["USER=other", "HOME=/h"], vcap);
    expect(given).toEqual(["PATH=/x", "USER=other", "HOME=/h"]);
  });

  it("matches names exactly and keeps values with '='", () => {
    const env = processEnv(["MANPATH=/man"], ["OPTS=a=b=c", "NOVALUE"], vcap);
    expect(env).toContain("OPTS=a=b=c");
    expect(env).toContain(`PATH=${defaultPath}`);
    expect(env.some((e) => e.startsWith("NOVALUE"))).toBe(false);
  });
});
