/**
 * build-req where WebAssembly memory cannot be reserved: each memory reserves gigabytes of
 * address space for its guard pages, so under `ulimit -v` the byte kernel
 * (src/request-input/scrape/byte-kernel.ts) cannot be had, and the scraper must fall back to
 * Buffer.indexOf with the same output (it once crashed there as "a bug in restager").
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
let dir = "";
let log = "";

// The fixture, then 12 MiB of lines without a request: the kernel is only asked for in a file
// larger than kernelAfterBytes (candidate-finder.ts), from its start when read forward and past
// that many bytes when read backwards.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-address-space-"));
  log = join(dir, "stager.stdout.log");
  const noise =
    '{"timestamp":"1700000000.000000000","source":"stager","message":"stager.noise","log_level":1,"data":{"n":1}}\n';
  const fixture = await readFile(join(fixturesDir, "logs", "stager-bbs-2016.log"));
  const padding = noise.repeat(Math.ceil((12 * 1024 * 1024) / noise.length));
  await writeFile(log, Buffer.concat([fixture, Buffer.from(padding)]));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** build-req's stdout, with `ulimit -v` set to `kilobytes` first when given. */
async function buildReq(args: string[], kilobytes?: number): Promise<string> {
  const limit = kilobytes === undefined ? "" : `ulimit -v ${kilobytes} && `;
  const script = `${limit}exec "$0" "$@"`;
  const bin = [process.execPath, binPath("build-req"), ...args];
  const { stdout } = await run("bash", ["-c", script, ...bin]);
  return stdout;
}

describe("build-req without room for WebAssembly memory", () => {
  for (const mode of [[], ["--all"], ["--list"]]) {
    it(`prints the same with --log ${mode.join(" ")} under ulimit -v`, async () => {
      const expected = await buildReq(["--log", log, ...mode]);
      expect(expected).not.toBe("");
      expect(await buildReq(["--log", log, ...mode], 3_000_000)).toBe(expected);
    });
  }
});
