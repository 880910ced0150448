/**
 * build-req where WebAssembly memory cannot be reserved: each memory reserves gigabytes of
 * address space for its guard pages, so under `ulimit -v` the byte kernel
 * (src/request-input/scrape/byte-kernel.ts) cannot be had, and the scraper must fall back to
 * Buffer.indexOf with the same output (it once crashed there as "a bug in restager").
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "../kit/fixture-blobs.js";
import { binPath } from "../kit/e2e/cli.js";

const run = promisify(execFile);
const log = join(fixturesDir, "logs", "stager-bbs-2016.log");

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
