import { execFileSync } from "node:child_process";
import { lstat, mkdtemp, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { crc32, ZipWriter } from "../../kit/zip-writer.js";

describe("ZipWriter", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "zip-writer-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const unzip = async (zip: Buffer): Promise<string> => {
    await writeFile(join(dir, "a.zip"), zip);
    execFileSync("unzip", ["-q", join(dir, "a.zip"), "-d", join(dir, "out")]);
    return join(dir, "out");
  };

  it("writes an archive the host unzip extracts with modes, directories and symlinks", async () => {
    const big = "compressible line\n".repeat(10_000);
    const zip = new ZipWriter()
      .addDirectory("bin")
      .addFile("bin/run", "#!/bin/sh\necho hi\n", 0o755)
      .addFile("data/big.txt", big)
      .addFile("empty", "")
      .addSymlink("link", "bin/run")
      .toBuffer();
    expect(zip.length).toBeLessThan(big.length / 10);
    const out = await unzip(zip);

    expect((await lstat(join(out, "bin/run"))).mode & 0o777).toBe(0o755);
    expect((await lstat(join(out, "data/big.txt"))).mode & 0o777).toBe(0o644);
    expect(await readFile(join(out, "data/big.txt"), "utf8")).toBe(big);
    expect((await readFile(join(out, "empty"))).length).toBe(0);
    expect((await lstat(join(out, "bin"))).isDirectory()).toBe(true);
    expect((await lstat(join(out, "link"))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(out, "link"))).toBe("bin/run");
    expect(execFileSync(join(out, "link"), { encoding: "utf8" })).toBe("hi\n");
  });

  it("passes unzip's integrity test", async () => {
    await writeFile(
      join(dir, "t.zip"),
      new ZipWriter().addFile("a.txt", "a".repeat(5000)).toBuffer(),
    );
    const report = execFileSync("unzip", ["-t", join(dir, "t.zip")], { encoding: "utf8" });
    expect(report).toContain("No errors detected");
  });

  it("gives the same bytes for the same entries", () => {
    const build = (): Buffer => new ZipWriter().addFile("x", "same content").toBuffer();
    expect(build().equals(build())).toBe(true);
  });

  it("refuses absolute or escaping entry names", () => {
    expect(() => new ZipWriter().addFile("/etc/passwd", "")).toThrow(/relative/);
    expect(() => new ZipWriter().addFile("a/../../b", "")).toThrow(/relative/);
  });

  it("writes absolute and climbing names when asked to (bad-input fixtures)", async () => {
    await writeFile(
      join(dir, "evil.zip"),
      new ZipWriter({ unsafeNames: true })
        .addFile("../evil", "x")
        .addFile("/etc/evil", "y")
        .toBuffer(),
    );
    const listing = execFileSync("unzip", ["-Z1", join(dir, "evil.zip")], { encoding: "utf8" });
    expect(listing.split("\n").filter(Boolean)).toEqual(["../evil", "/etc/evil"]);
  });

  it("claims a size it does not hold, in a zip64 field past 4 GiB", async () => {
    const claimed = 10 * 1024 ** 3;
    const zip = new ZipWriter()
      .addFileClaimingSize("huge.bin", "tiny", claimed)
      .addFileClaimingSize("small.bin", "tiny", 1000)
      .toBuffer();
    expect(zip.length).toBeLessThan(1024);
    await writeFile(join(dir, "claim.zip"), zip);
    const listing = execFileSync("unzip", ["-Zl", join(dir, "claim.zip")], { encoding: "utf8" });
    expect(listing).toMatch(new RegExp(`\\s${claimed}\\s.*huge\\.bin`));
    expect(listing).toMatch(/\s1000\s.*small\.bin/);
  });

  it("computes the IEEE CRC-32 check value", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });
});
