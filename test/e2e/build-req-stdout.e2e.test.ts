/**
 * Where build_req's results go when stdout is not an open terminal: the usual spellings write
 * them to descriptor 1 directly (src/cli/output.ts), so a reader that stops early and a full
 * disk must still end the run as a user expects.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturesDir } from "../kit/fixture-blobs.js";
import { binPath } from "../kit/e2e/cli.js";

const run = promisify(execFile);
let dir: string;
let log: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-stdout-e2e-"));
  // Every task line of the fixture, 200 times: megabytes of --all output, more than a pipe holds.
  const lines = (await readFile(join(fixturesDir, "logs", "stager-bbs-2016.log"), "utf8"))
    .split("\n")
    .filter((line) => line.includes('"taskDefinition"'));
  log = join(dir, "stager.log");
  await writeFile(log, `${Array.from({ length: 200 }, () => lines.join("\n")).join("\n")}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `build-req ARGS [REDIRECT] | SINK` in bash; the exit codes of both, and build-req's stderr. */
async function piped(args: string[], sink: string, redirect = "") {
  const script = `"$@" 2>"${join(dir, "stderr")}" ${redirect} | ${sink}; echo "\${PIPESTATUS[@]}"`;
  const { stdout } = await run("bash", [
    "-c",
    script,
    "piped",
    process.execPath,
    binPath("build-req"),
    ...args,
  ]);
  const codes = stdout.trim().split("\n").at(-1)?.split(" ").map(Number);
  return { codes, stderr: await readFile(join(dir, "stderr"), "utf8") };
}

describe("build-req's results on a descriptor", () => {
  it("ends quietly with exit 0 when the reader closes the pipe early", async () => {
    const { codes, stderr } = await piped(["--log", log, "--all"], "head -c 100 >/dev/null");
    expect(stderr).toBe("");
    expect(codes).toEqual([0, 0]);
  });

  it("prints every request when the reader reads them all", async () => {
    const { codes } = await piped(["--log", log, "--all"], "wc -l");
    expect(codes).toEqual([0, 0]);
    const { stdout } = await run(process.execPath, [binPath("build-req"), "--log", log, "--all"], {
      maxBuffer: 1 << 30,
    });
    expect(stdout.split("\n").filter((line) => line.startsWith("{")).length).toBeGreaterThan(200);
  });

  it("reports a full disk as the user's to fix (exit 73), without a stack trace", async () => {
    const { codes, stderr } = await piped(["--log", log, "--all"], "cat", ">/dev/full");
    expect(codes?.[0]).toBe(73);
    expect(stderr).toContain("Cannot write to standard output: no space left on device");
    expect(stderr).toContain("Free space where standard output goes, or redirect it elsewhere");
    expect(stderr).not.toMatch(/bug/i);
    expect(stderr).not.toMatch(/^\s+at .+[:(]/m);
  });

  it("heads --list with the column names on a terminal only", async () => {
    const args = ["--log", join(fixturesDir, "logs", "stager-bbs-2016.log"), "--list"];
    const header = /^TIME\tKIND\t/m;
    const { stdout: piped } = await run(process.execPath, [binPath("build-req"), ...args]);
    expect(piped).not.toMatch(header);
    const command = [process.execPath, binPath("build-req"), ...args].map(quote).join(" ");
    const { stdout: terminal } = await run("script", ["-qc", command, "/dev/null"]);
    expect(terminal).toMatch(header);
  });
});

function quote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}
