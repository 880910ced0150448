import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { planApp } from "../../../src/launch/app-plan.js";
import { sidecarExitReason, sourcedLine } from "../../../src/launch/process-logs.js";
import type { SidecarProcess } from "../../../src/launch/sidecar-processes.js";
import { startEntrypoint } from "../../../src/launch/start-script.js";
import { lrpFixture } from "../../kit/fixture-files.js";
import { launchOptions } from "../../kit/launch-options.js";

const options = launchOptions();

const source = "APP/PROC/WEB/SIDECAR/CONFIG-SERVER";

describe("the codependent processes of an LRP", () => {
  it("runs every run action of the codependent but diego-sshd (without --with-ssh) as a sidecar", () => {
    const plan = planApp(lrpFixture("lrp-cc-sidecar.json"), options);
    expect(plan.command[2]).toBe("node server.js");
    expect(plan.sidecars).toEqual([
      {
        logSource: source,
        argv: ["/tmp/lifecycle/launcher", "app", "./config-server --port 8082", ""],
        // Only what differs from the app process: its own MEMORY_LIMIT.
        set: [{ name: "MEMORY_LIMIT", value: "64m" }],
        unset: [],
        dir: "/home/vcap",
        nofile: 16384,
      },
    ]);
    expect(plan.notices.join("\n")).not.toMatch(/sidecar|config-server/);
    expect(planApp(lrpFixture("lrp-cc-2024.json"), options).sidecars).toEqual([]);
  });

  it("finds the log source of a tagged line and the crash reason of a sidecar's end", () => {
    const app = { logSource: "APP/PROC/WEB", sidecars: [{ logSource: source }] };
    const tagged = { stream: "err" as const, text: `[${source}] listening` };
    expect(sourcedLine(tagged, app)).toEqual({
      source,
      line: { stream: "err", text: "listening" },
    });
    const own = { stream: "out" as const, text: "[other] Exit status 1" };
    expect(sourcedLine(own, app)).toEqual({ source: "APP/PROC/WEB", line: own });
    const exit = (status: number) => ({
      stream: "out" as const,
      text: `[${source}] Exit status ${status}`,
    });
    expect(sidecarExitReason([exit(3), own], app)).toBe(`${source}: Exited with status 3`);
    expect(sidecarExitReason([exit(0)], app)).toBe("Codependent step exited");
    expect(sidecarExitReason([own], app)).toBeUndefined();
  });
});

interface Ended {
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the start script with /bin/sh as the container does; resolves once the app process ended. */
function runScript(sidecars: SidecarProcess[], app: string[]): Promise<Ended> {
  const [shell = "", ...rest] = startEntrypoint({ sidecars });
  const child = spawn(shell, [...rest, ...app], {
    detached: true,
    env: { PATH: process.env.PATH, ONLY_APP: "1", MEMORY_LIMIT: "448m" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.on("exit", (_code, signal) => {
      // The sidecar's shell waits out the grace before its KILL: end the group.
      setTimeout(() => {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
        resolve({ signal, stdout, stderr });
      }, 300);
    });
  });
}

describe("the start script with a sidecar", () => {
  it("tags the sidecar's lines, gives it its own env, and ends the app when it exits", async () => {
    const sidecar: SidecarProcess = {
      logSource: source,
      argv: [
        "/bin/sh",
        "-c",
        'echo "memory $MEMORY_LIMIT only ${ONLY_APP:-unset}"; echo oops >&2; exit 3',
      ],
      set: [{ name: "MEMORY_LIMIT", value: "64m" }],
      unset: ["ONLY_APP"],
      dir: "/",
    };
    const app = ["/bin/sh", "-c", 'echo "app $MEMORY_LIMIT $ONLY_APP"; exec sleep 30'];
    const ended = await runScript([sidecar], app);
    expect(ended.signal).toBe("SIGTERM");
    const out = ended.stdout.split("\n");
    expect(out).toContain("app 448m 1");
    expect(out).toContain(`[${source}] memory 64m only unset`);
    expect(out.at(-2)).toBe(`[${source}] Exit status 3`);
    expect(ended.stderr.split("\n")).toContain(`[${source}] oops`);
  });
});
