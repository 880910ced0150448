/**
 * Checks of the bad-input e2e tests (bad-input*.e2e.test.ts): peak RSS of a CLI run, the
 * one-error-line rule, nothing written outside the run's directories, and what a (kept)
 * staging container holds.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import Docker from "dockerode";
import { expect } from "vitest";
import { fixturesDir } from "../fixture-blobs.js";
import { runCli, type Bin, type CliResult } from "./cli.js";
import type { E2eCase } from "./e2e-case.js";
import { expectNoStackTrace } from "./expectations.js";

/** The corpus (fixtures/bad/README.md). */
export const badDir = join(fixturesDir, "bad");
const maxRssKb = 200 * 1024;
/** Written by fixtures/bad/make-archives.ts into every file its archives hold. */
const marker = "restager-bad-fixture";

/**
 * Runs a CLI with a preload that records its peak RSS; fails past `maxRssKb`. The preload
 * writes into a directory of its own, so the "nothing written" checks stay exact.
 */
export async function measuredCli(e2e: E2eCase, bin: Bin, args: string[]): Promise<CliResult> {
  const rssDir = join(e2e.dir, "rss");
  await mkdir(rssDir, { recursive: true });
  const preload = join(e2e.dir, "record-rss.mjs");
  await writeFile(preload, recordRssSource);
  const nodeOptions = `${process.env.NODE_OPTIONS ?? ""} --import=${preload}`.trim();
  const run = await runCli(
    bin,
    args,
    e2e.cliOptions({ env: { NODE_OPTIONS: nodeOptions, RESTAGER_TEST_RSS_DIR: rssDir } }),
  );
  const recorded = await readdir(rssDir);
  expect(recorded, "the RSS preload wrote nothing").not.toEqual([]);
  for (const name of recorded) {
    const kb = Number(await readFile(join(rssDir, name), "utf8"));
    expect(kb, `peak RSS of ${bin} (KB)`).toBeLessThan(maxRssKb);
  }
  return run;
}

/**
 * The process's own peak (VmHWM, KB), not getrusage's maxRSS: Linux carries maxRSS over exec
 * from the forked copy of the parent, so a CLI spawned by a test worker of 250 MB reported
 * 250 MB whatever it used itself.
 */
const recordRssSource = `import { readFileSync, writeFileSync } from "node:fs";
process.on("exit", () => {
  const dir = process.env.RESTAGER_TEST_RSS_DIR;
  if (!dir) return;
  const hwm = /^VmHWM:\\s+(\\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
  writeFileSync(dir + "/" + process.pid, hwm ? hwm[1] : "unknown");
});
`;

/** One `Error:` line matching `error`, then the issues in order; other lines are hints or warnings. */
export function expectOneError(run: CliResult, error: RegExp, issues: RegExp[]): void {
  expect(run.stdout).toBe("");
  expectNoStackTrace(run);
  const lines = run.stderr.trimEnd().split("\n");
  const errors = lines.filter((line) => line.startsWith("Error: "));
  expect(errors, run.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(error);
  const start = lines.indexOf(errors[0] ?? "");
  issues.forEach((issue, i) => expect(lines[start + 1 + i]).toMatch(issue));
  const rest = lines.filter((_, i) => i < start || i > start + issues.length);
  for (const line of rest) expect(line).toMatch(/^(Hint|Warning): /);
}

/**
 * The run's working directory, cache and TMPDIR hold nothing it wrote, except what the cache is
 * for: downloads and the instance-identity CA (kept across runs, like a cell's).
 */
export async function expectNothingWritten(e2e: E2eCase): Promise<void> {
  expect(await readdir(e2e.cwd)).toEqual([]);
  expect(await readdir(e2e.tmpDir)).toEqual([]);
  const cache = await readdir(e2e.cacheDir);
  expect(cache.filter((name) => name !== "downloads" && name !== "identity-ca")).toEqual([]);
}

/** Files holding the fixtures' marker anywhere in the container (proc, sys and dev skipped). */
export async function markedFiles(container: Docker.Container): Promise<string[]> {
  const output = await exec(container, [
    "sh",
    "-c",
    `grep -rlsF ${marker} / --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev || true`,
  ]);
  return output.split("\n").filter(Boolean);
}

export async function exists(container: Docker.Container, path: string): Promise<boolean> {
  const output = await exec(container, [
    "sh",
    "-c",
    `test -e '${path}' || test -L '${path}' && echo yes || echo no`,
  ]);
  return output.trim() === "yes";
}

async function exec(container: Docker.Container, cmd: string[]): Promise<string> {
  const run = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await run.start({ hijack: true, stdin: false });
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  new Docker().modem.demuxStream(stream, stdout, new PassThrough().resume());
  await new Promise((resolve) => stream.on("end", resolve));
  return Buffer.concat(chunks).toString("utf8");
}

/** Names of the dependency volumes restager made for a cache key (label from src/restage). */
export async function volumesOf(cacheKey: string): Promise<string[]> {
  const { Volumes } = await new Docker().listVolumes({
    filters: { label: [`io.restager.cache-key=${cacheKey}`] },
  });
  return (Volumes ?? []).map((volume) => volume.Name).sort();
}

export async function removeKept(e2e: E2eCase): Promise<void> {
  const docker = new Docker();
  for (const container of await e2e.newContainers()) {
    await docker.getContainer(container.id).remove({ force: true, v: true });
  }
}
