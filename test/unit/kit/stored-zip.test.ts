import { execFileSync } from "node:child_process";
import { lstat, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoredZip } from "../../kit/stored-zip.js";

describe("StoredZip", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "stored-zip-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("streams an archive the host unzip tests and extracts with modes and random bodies", async () => {
    const path = join(dir, "big.zip");
    const zip = await StoredZip.create(path);
    await zip.addDirectory("public");
    await zip.addFile("bin/run", Buffer.from("#!/bin/sh\n"), 0o755);
    await zip.addRandomFile("public/blob.bin", 3 * 1024 * 1024 + 7);
    await zip.close();

    execFileSync("unzip", ["-tq", path]);
    execFileSync("unzip", ["-q", path, "-d", join(dir, "out")]);
    const out = join(dir, "out");
    expect((await lstat(join(out, "bin/run"))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(out, "bin/run"), "utf8")).toBe("#!/bin/sh\n");
    expect((await lstat(join(out, "public"))).isDirectory()).toBe(true);
    expect((await stat(join(out, "public/blob.bin"))).size).toBe(3 * 1024 * 1024 + 7);
  });
});
