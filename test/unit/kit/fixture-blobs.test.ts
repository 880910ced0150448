import { execFileSync } from "node:child_process";
import { lstat, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  buildAppZip,
  buildBuildpackZip,
  buildLifecycleTgz,
  buildpackKey,
  md5Hex,
  xxh64Hex,
} from "../../kit/fixture-blobs.js";

describe("fixture blobs", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "fixture-blobs-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("builds the same bytes twice", async () => {
    for (const build of [
      (d: string) => buildLifecycleTgz(d),
      (d: string) => buildBuildpackZip("static", d),
      (d: string) => buildAppZip("hello-static", d),
    ]) {
      const first = await build(join(dir, "one"));
      const second = await build(join(dir, "two"));
      expect(second.md5Hex).toBe(first.md5Hex);
      expect(second.sha256Hex).toBe(first.sha256Hex);
      expect(second.sizeBytes).toBe(first.sizeBytes);
    }
  });

  it("packs the lifecycle flat, executable, with a fixed mtime", async () => {
    const blob = await buildLifecycleTgz(dir);
    expect(blob.path).toBe(join(dir, "buildpack_app_lifecycle.tgz"));
    const listing = execFileSync("tar", ["-tvzf", blob.path], { encoding: "utf8" })
      .trim()
      .split("\n");
    expect(listing.map((l) => l.split(/\s+/).at(-1))).toEqual([
      "builder",
      "launcher",
      "healthcheck",
      "diego-sshd",
    ]);
    for (const line of listing) expect(line).toMatch(/^-rwxr-xr-x .* 2020-01-01 00:00 /);
  });

  it("zips a buildpack with bin/ at the root and its scripts executable", async () => {
    const blob = await buildBuildpackZip("static", dir);
    execFileSync("unzip", ["-q", blob.path, "-d", join(dir, "bp")]);
    for (const script of ["detect", "supply", "finalize", "compile", "release"]) {
      expect((await lstat(join(dir, "bp", "bin", script))).mode & 0o777).toBe(0o755);
    }
    const detect = execFileSync(join(dir, "bp", "bin", "detect"), [
      join(process.cwd(), "fixtures/apps/hello-static"),
    ]);
    expect(detect.toString()).toBe("staticfile\n");
  });

  it("can nest a buildpack in one top-level folder", async () => {
    const blob = await buildBuildpackZip("shell", dir, { topLevelDir: "shell-buildpack-0.1.0" });
    const names = execFileSync("unzip", ["-Z1", blob.path], { encoding: "utf8" })
      .trim()
      .split("\n");
    expect(names[0]).toBe("shell-buildpack-0.1.0/");
    expect(names).toContain("shell-buildpack-0.1.0/bin/compile");
  });

  it("zips an app package with its files", async () => {
    const blob = await buildAppZip("hello-shell", dir);
    const names = execFileSync("unzip", ["-Z1", blob.path], { encoding: "utf8" })
      .trim()
      .split("\n");
    expect(names).toEqual(["run.sh"]);
    expect(blob.md5Hex).toBe(md5Hex(execFileSync("cat", [blob.path])));
  });

  it("derives realistic, stable buildpack keys whose XXH64 needs no padding", () => {
    const key = buildpackKey("static");
    expect(key).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}_[0-9a-f]{64}$/,
    );
    expect(buildpackKey("static")).toBe(key);
    expect(buildpackKey("shell")).not.toBe(key);
    for (const name of ["static", "shell", "never", "broken-compile", "broken-release"]) {
      expect(xxh64Hex(buildpackKey(name))).toMatch(/^[1-9a-f][0-9a-f]{15}$/);
    }
    expect(
      md5Hex("ba031dee-c426-4a5a-b34d-9bd25b959f6b_8b683c2237056089dea24a2a4d70606e8a4a67cf"),
    ).toBe("588c1402935aa679c160b49b085f54b1");
  });
});
