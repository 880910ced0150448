import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CancelledError, InvalidInputError } from "../../../src/errors.js";
import type { Container, ExecProcess, ProcessSpec } from "../../../src/container/container.js";
import { DockerRuntime } from "../../../src/container/docker-runtime.js";

const testLabel = "io.restager.test-run";
const runId = `exec-${randomUUID()}`;
const runtime = new DockerRuntime();
let container: Container;

type Spec = Partial<ProcessSpec> & { path: string };

async function start(spec: Spec, signal?: AbortSignal) {
  const output = { stdout: "", stderr: "" };
  const process: ExecProcess = await container.exec(
    { args: [], env: [], user: "vcap", ...spec },
    {
      stdout: (chunk) => (output.stdout += chunk.toString("utf8")),
      stderr: (chunk) => (output.stderr += chunk.toString("utf8")),
    },
    signal ? { signal } : {},
  );
  return { process, output };
}

async function run(spec: Spec) {
  const { process, output } = await start(spec);
  const exitCode = await process.wait();
  return { exitCode, ...output };
}

const sh = (script: string, user = "root") => run({ path: "/bin/sh", args: ["-c", script], user });

/** Starts a script that prints "ready" once its traps are set. */
async function startReady(script: string, signal?: AbortSignal) {
  const { process, output } = await start({ path: "/bin/sh", args: ["-c", script] }, signal);
  const deadline = Date.now() + 10_000;
  while (!output.stdout.includes("ready")) {
    if (Date.now() > deadline) throw new Error(`never ready: ${output.stderr}`);
    await sleep(20);
  }
  return process;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

beforeAll(async () => {
  container = await runtime.createIdle({
    image: "restager/stack:bookworm",
    env: ["FROM_CONTAINER=container", "OVERRIDDEN=container"],
    labels: { [testLabel]: runId },
  });
});

afterAll(async () => {
  await runtime.removeLabelled(testLabel, runId);
  expect(await runtime.findContainers(testLabel, runId)).toEqual([]);
});

describe("exec", () => {
  it("separates stdout from stderr and hides the wrapper's PID line", async () => {
    const result = await sh("echo out; echo err >&2; echo out2; echo err2 >&2");
    expect(result).toEqual({ exitCode: 0, stdout: "out\nout2\n", stderr: "err\nerr2\n" });
  });

  it("resolves with the exit code, never rejecting for a failure", async () => {
    expect((await sh("exit 3")).exitCode).toBe(3);
    const missing = await run({ path: "/no/such/binary" });
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toContain("/no/such/binary");
  });

  it("passes args as argv, without shell interpretation", async () => {
    const args = ["[%s]\\n", "a b", "$HOME", "it's", "*", "`id`", "new\nline"];
    const result = await run({ path: "printf", args });
    expect(result.stdout).toBe("[a b]\n[$HOME]\n[it's]\n[*]\n[`id`]\n[new\nline]\n");
  });

  it("runs as the named user", async () => {
    expect((await run({ path: "id", args: ["-u"] })).stdout).toBe("2000\n");
    expect((await run({ path: "id", args: ["-u"], user: "root" })).stdout).toBe("0\n");
  });

  it("rejects a user the image does not have", async () => {
    const failure = start({ path: "true", user: "ghost" });
    await expect(failure).rejects.toBeInstanceOf(InvalidInputError);
    await expect(failure).rejects.toThrow("user 'ghost' does not exist in the stack image");
  });

  it("builds the env as Garden does: container env, then process env, then defaults", async () => {
    const result = await run({
      path: "env",
      env: ["OVERRIDDEN=process", "PROCESS_ONLY=1", "spring.profiles.active=cloud"],
    });
    const env = new Map(result.stdout.trimEnd().split("\n").map(splitOnce));
    expect(env.get("FROM_CONTAINER")).toBe("container");
    expect(env.get("OVERRIDDEN")).toBe("process");
    expect(env.get("PROCESS_ONLY")).toBe("1");
    expect(env.get("spring.profiles.active")).toBe("cloud");
    expect(env.get("USER")).toBe("vcap");
    expect(env.get("HOME")).toBe("/home/vcap");
    expect(env.get("PATH")).toBeDefined();
    expect(env.has("OLDPWD")).toBe(false);
  });

  it("starts in the user's home, or / when it is missing", async () => {
    expect((await run({ path: "pwd" })).stdout).toBe("/home/vcap\n");
    expect((await run({ path: "pwd", user: "root" })).stdout).toBe("/root\n");
    expect((await run({ path: "pwd", user: "nobody" })).stdout).toBe("/\n");
  });

  it("creates a missing dir for the user, each new component owned by them", async () => {
    expect((await run({ path: "pwd", dir: "/tmp/work/dir" })).stdout).toBe("/tmp/work/dir\n");
    const owners = await sh("stat -c '%n %U %a' /tmp /tmp/work /tmp/work/dir");
    expect(owners.stdout).toBe("/tmp root 1777\n/tmp/work vcap 755\n/tmp/work/dir vcap 755\n");
  });

  it("applies a per-process nofile limit (soft and hard)", async () => {
    const result = await run({
      path: "/bin/sh",
      args: ["-c", "ulimit -n; ulimit -Hn"],
      nofile: 1024,
    });
    expect(result.stdout).toBe("1024\n1024\n");
  });
});

describe("signals", () => {
  it("delivers TERM to a process that handles it", async () => {
    const process = await startReady("trap 'exit 0' TERM; echo ready; while :; do sleep 0.1; done");
    await process.signal("TERM");
    expect(await process.wait()).toBe(0);
  });

  it("ends a process that does not handle TERM with 143", async () => {
    const process = await startReady("echo ready; exec sleep 60");
    await process.signal("TERM");
    expect(await process.wait()).toBe(143);
  });

  it("kills a process that ignores TERM", async () => {
    const process = await startReady("trap '' TERM; echo ready; while :; do sleep 0.1; done");
    await process.signal("TERM");
    expect(await Promise.race([process.wait(), sleep(700).then(() => "running")])).toBe("running");
    await process.signal("KILL");
    expect(await process.wait()).toBe(137);
  });

  it("treats signalling a finished process as a no-op", async () => {
    const { process } = await start({ path: "true" });
    expect(await process.wait()).toBe(0);
    await expect(process.signal("KILL")).resolves.toBeUndefined();
  });

  it("does not kill on abort, and still settles once the process dies", async () => {
    const controller = new AbortController();
    const process = await startReady("echo ready; sleep 60 & wait", controller.signal);
    controller.abort(new CancelledError());
    expect(await Promise.race([process.wait(), sleep(500).then(() => "running")])).toBe("running");
    // The shell dies; its `sleep` child keeps the output pipes open.
    await process.signal("KILL");
    expect(await process.wait()).toBe(137);
  });
});

function splitOnce(line: string): [string, string] {
  const eq = line.indexOf("=");
  return [line.slice(0, eq), line.slice(eq + 1)];
}
