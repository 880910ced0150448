/**
 * `restage --cache-dir` on a full disk: the cache lives on a 2 MiB tmpfs (mounted here; the
 * tests run as root) and a buildpack is 5 MiB. The user must get exit 73 ("an output file or
 * directory cannot be written", src/errors.ts) naming the cache directory, with a hint about
 * free space or --cache-dir, and the cache must hold no partial entry afterwards.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { buildpackKey, buildZip, fixturesDir, readTree } from "../kit/fixture-blobs.js";
import { runCli } from "../kit/e2e/cli.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import {
  expectExit,
  expectNoSecrets,
  expectNoStackTrace,
  urlSecrets,
} from "../kit/e2e/expectations.js";

const cacheBytes = 2 * 1024 * 1024;
const payloadBytes = 5 * 1024 * 1024;

describe("restage with a full cache disk", () => {
  const current = useE2eCase();

  it("exits 73 naming the cache dir, with a hint, and leaves no partial cache entry", async () => {
    const e2e = current();
    const world = await e2e.world({ buildpacks: ["static"] });
    // The same blob key, so the task's signed URL now serves a 5 MiB buildpack.
    const bulky = join(e2e.dir, "static-5m.zip");
    await writeFile(bulky, await paddedBuildpackZip("static", payloadBytes));
    await world.cf.blobstore.add(`cc-buildpacks/${buildpackKey("static")}`, bulky);

    const cacheDir = join(e2e.dir, "small-cache");
    await withTmpfs(cacheDir, cacheBytes, async () => {
      const run = await runCli(
        "restage",
        [world.taskFile, "--cache-dir", cacheDir],
        e2e.cliOptions(),
      );
      expectExit(run, 73);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("[STG] OUT Downloading static_buildpack failed");
      const reason = /^ {2}(Cannot write .*)$/m.exec(run.stderr)?.[1];
      expect(reason, run.stderr).toBeDefined();
      expect(reason).toContain(cacheDir);
      expect(reason).toMatch(/no space left on device/i);
      expect(run.stderr).toMatch(/^Hint: .*(free|space).*--cache-dir/im);
      expect(world.cf.requestsTo("ccUploader")).toEqual([]);
      expectNoStackTrace(run);
      expectNoSecrets(run, urlSecrets(world.task, { signatures: true }));
      expect(await partialEntries(cacheDir)).toEqual([]);
    });
  });
});

/** A fixture buildpack's zip plus `payload.bin` of incompressible bytes. */
async function paddedBuildpackZip(name: string, bytes: number): Promise<Buffer> {
  const entries = await readTree(join(fixturesDir, "buildpacks", name));
  const payload = { path: "payload.bin", type: "file" as const, mode: 0o644 };
  return buildZip([...entries, { ...payload, data: randomBytes(bytes) }]);
}

/**
 * Cache entries that are not whole: temp files, or a body without its meta.json (or of
 * another size than it records). An empty entry directory is fine (it holds only the lock).
 */
async function partialEntries(cacheDir: string): Promise<string[]> {
  const downloads = join(cacheDir, "downloads");
  const problems: string[] = [];
  for (const entry of await readdir(downloads).catch(() => [])) {
    const dir = join(downloads, entry);
    const names = await readdir(dir);
    problems.push(...names.filter((n) => n.endsWith(".tmp")).map((n) => `${entry}/${n}`));
    if (!names.includes("body") && !names.includes("meta.json")) continue;
    const meta = JSON.parse(await readFile(join(dir, "meta.json"), "utf8").catch(() => "{}")) as {
      size?: number;
    };
    const size = await stat(join(dir, "body")).then(
      (s) => s.size,
      () => -1,
    );
    if (meta.size !== size) problems.push(`${entry}: body ${size} bytes, meta says ${meta.size}`);
  }
  return problems;
}

/** Runs `fn` with a tmpfs of `bytes` mounted at `dir`; unmounts and removes it afterwards. */
async function withTmpfs(dir: string, bytes: number, fn: () => Promise<void>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await execa("mount", ["-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", dir]);
  try {
    await fn();
  } finally {
    await execa("umount", [dir]);
    await rm(dir, { recursive: true, force: true });
  }
}
