import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { startEntrypoint } from "../../../src/launch/start-script.js";

/** Runs the start script with /bin/sh, as the container does, printing the resulting env. */
function run(
  options: Parameters<typeof startEntrypoint>[0],
  env: Record<string, string>,
): Map<string, string> {
  const [shell = "", ...rest] = startEntrypoint(options);
  const printEnv = ["/bin/sh", "-c", 'printf "%s\\n" "$1" "$2"; env', "sh", "a b", ""];
  const output = execFileSync(shell, [...rest, ...printEnv], {
    env: { PATH: process.env.PATH, ...env },
  });
  const lines = output.toString().split("\n");
  expect(lines.slice(0, 2)).toEqual(["a b", ""]);
  return new Map(
    lines
      .slice(2)
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

describe("the start script", () => {
  it("passes the run action's argv through untouched and sets CF_INSTANCE_INTERNAL_IP", () => {
    const env = run({}, {});
    expect(env.has("CF_INSTANCE_INTERNAL_IP")).toBe(true);
  });

  it("keeps a CF_INSTANCE_INTERNAL_IP given with --env", () => {
    expect(run({}, { CF_INSTANCE_INTERNAL_IP: "10.0.0.9" }).get("CF_INSTANCE_INTERNAL_IP")).toBe(
      "10.0.0.9",
    );
  });

  it("derives the index from Swarm's 1-based slot and hides the slot variable", () => {
    const env = run({ indexFromSlot: true }, { RESTAGER_TASK_SLOT: "3", INSTANCE_INDEX: "0" });
    expect(env.get("INSTANCE_INDEX")).toBe("2");
    expect(env.get("CF_INSTANCE_INDEX")).toBe("2");
    expect(env.has("RESTAGER_TASK_SLOT")).toBe(false);
  });

  it("fills the instance address from the default gateway and the known port", () => {
    const env = run(
      { gatewayIp: true },
      { CF_INSTANCE_IP: "", CF_INSTANCE_PORT: "61000", CF_INSTANCE_ADDR: "" },
    );
    const ip = env.get("CF_INSTANCE_IP") ?? "";
    if (ip !== "") expect(env.get("CF_INSTANCE_ADDR")).toBe(`${ip}:61000`);
    expect(ip).toMatch(/^$|^\d+\.\d+\.\d+\.\d+$/);
  });

  it("makes up instance guids for compose replicas, and lowers nofile", () => {
    const env = run({ guidAtStart: true, nofile: 512 }, { INSTANCE_GUID: "" });
    expect(env.get("INSTANCE_GUID")).toMatch(/^[0-9a-f-]{28}$/);
    expect(env.get("CF_INSTANCE_GUID")).toBe(env.get("INSTANCE_GUID"));
  });

  it("cuts 36-character guids (a pod's uid) to 28 characters, as the rep does", () => {
    const uid = "0f9c6f4e-3b1a-4c2d-9e8f-7a6b5c4d3e2f";
    const env = run({ cutGuids: true }, { INSTANCE_GUID: uid, CF_INSTANCE_GUID: uid });
    expect(env.get("INSTANCE_GUID")).toBe("0f9c6f4e-3b1a-4c2d-9e8f-7a6b");
    expect(env.get("CF_INSTANCE_GUID")).toBe("0f9c6f4e-3b1a-4c2d-9e8f-7a6b");
  });
});
