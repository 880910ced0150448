import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellQuote, wrapperArgv, type WrapperInput } from "../../../src/container/exec-wrapper.js";

/** Runs the wrapper with the local /bin/sh, as Docker would run it in the container. */
function runWrapper(input: WrapperInput) {
  const [file, ...args] = wrapperArgv(input);
  const child = spawn(file ?? "", args, { env: Object.fromEntries(input.env.map(split)) });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise<{
    pid: number | undefined;
    code: number | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on("close", (code) => resolve({ pid: child.pid, code, stdout, stderr })));
}

function split(entry: string): [string, string] {
  const eq = entry.indexOf("=");
  return [entry.slice(0, eq), entry.slice(eq + 1)];
}

const env = ["PATH=/usr/local/bin:/usr/bin:/bin"];

describe("wrapperArgv", () => {
  it("prints its PID first on stderr, and the program keeps that PID", async () => {
    const result = await runWrapper({
      path: "/bin/sh",
      args: ["-c", 'echo "$$"; echo err >&2'],
      env,
    });
    expect(result.stderr).toBe(`${result.pid}\nerr\n`);
    expect(result.stdout).toBe(`${result.pid}\n`);
  });

  it("passes path and args as argv, untouched by the shell", async () => {
    const args = ["[%s]\\n", "a b", "$HOME", "it's", "*", "`id`", "", "--", "new\nline"];
    const result = await runWrapper({ path: "printf", args, env });
    expect(result.stdout).toBe("[a b]\n[$HOME]\n[it's]\n[*]\n[`id`]\n[]\n[--]\n[new\nline]\n");
  });

  it("applies nofile as soft and hard limit", async () => {
    const result = await runWrapper({
      path: "/bin/sh",
      args: ["-c", "ulimit -Sn; ulimit -Hn"],
      env,
      nofile: 256,
    });
    expect(result.stdout).toBe("256\n256\n");
  });

  it("fails with a message when the limit cannot be set", async () => {
    const result = await runWrapper({ path: "true", args: [], env, nofile: -5 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot set the nofile limit");
  });

  it("keeps env entries whose names are not shell identifiers", async () => {
    const withOdd = [...env, "spring.profiles.active=cloud", "x-y=it's $1", "PLAIN=1"];
    const result = await runWrapper({ path: "env", args: [], env: withOdd });
    const lines = result.stdout.split("\n");
    expect(lines).toContain("spring.profiles.active=cloud");
    expect(lines).toContain("x-y=it's $1");
    expect(lines).toContain("PLAIN=1");
  });

  it("exits 127 for a missing program", async () => {
    const result = await runWrapper({ path: "/no/such/program", args: [], env });
    expect(result.code).toBe(127);
  });
});

describe("shellQuote", () => {
  it("quotes single quotes so the shell reads the exact string back", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("")).toBe("''");
  });

  it("removes the names it is told to, before the program starts", async () => {
    const result = await runWrapper({
      path: "/usr/bin/env",
      args: [],
      env: [...env, "HOSTNAME=abc123", "KEEP=1", "IMAGE_ONLY=x"],
      unset: ["HOSTNAME", "IMAGE_ONLY", "not.a-name"],
    });
    const names = result.stdout.split("\n").map((line) => line.split("=")[0]);
    expect(names).toContain("KEEP");
    expect(names).not.toContain("HOSTNAME");
    expect(names).not.toContain("IMAGE_ONLY");
  });
});
