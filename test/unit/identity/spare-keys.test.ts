import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { localCaPaths } from "../../../src/identity/local-ca.js";
import { spareKeyPool, spareKeysDirName } from "../../../src/identity/spare-keys.js";

const never = new AbortController().signal;

describe("spareKeyPool", () => {
  let cacheDir = "";
  let poolDir = "";
  let made = 0;
  const make = () => Promise.resolve(`key ${++made}\n`);

  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), "restager-spare-"));
    await mkdir(localCaPaths(cacheDir).dir, { mode: 0o700 });
    poolDir = join(localCaPaths(cacheDir).dir, spareKeysDirName);
    made = 0;
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("has no key before any was made", async () => {
    expect(await spareKeyPool(cacheDir, "rsa-2048").take()).toBeUndefined();
  });

  it("keeps the keys made, owner-only, and hands each out once", async () => {
    const pool = spareKeyPool(cacheDir, "rsa-2048");
    await pool.fill(3, make, never);
    const names = await readdir(poolDir);
    expect(names).toHaveLength(3);
    expect((await stat(poolDir)).mode & 0o777).toBe(0o700);
    for (const name of names) {
      expect(name).toMatch(/^rsa-2048-[0-9a-f]{12}\.pem$/);
      expect((await stat(join(poolDir, name))).mode & 0o777).toBe(0o600);
    }
    const taken = [await pool.take(), await pool.take(), await pool.take()];
    expect(new Set(taken)).toEqual(new Set(["key 1\n", "key 2\n", "key 3\n"]));
    expect(await pool.take()).toBeUndefined();
    expect(await readdir(poolDir)).toEqual([]);
  });

  it("tops up to the count asked for, and keeps keys of each type apart", async () => {
    const pool = spareKeyPool(cacheDir, "rsa-2048");
    await pool.fill(2, make, never);
    await pool.take();
    await pool.fill(2, make, never);
    expect(made).toBe(3);
    expect(await spareKeyPool(cacheDir, "ecdsa-p256").take()).toBeUndefined();
  });

  it("hands a key to one of many takers racing for it, in one or many processes", async () => {
    const pool = spareKeyPool(cacheDir, "rsa-2048");
    await pool.fill(2, make, never);
    const racers = Array.from({ length: 8 }, () => spareKeyPool(cacheDir, "rsa-2048").take());
    const taken = (await Promise.all(racers)).filter((key) => key !== undefined);
    expect(taken.sort()).toEqual(["key 1\n", "key 2\n"]);
  });

  it("makes nothing when the CA's directory is gone (a removed cache is not made again)", async () => {
    await rm(cacheDir, { recursive: true, force: true });
    await spareKeyPool(cacheDir, "rsa-2048").fill(2, make, never);
    expect(made).toBe(0);
    await expect(stat(cacheDir)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("stops after the key being made once aborted", async () => {
    const stop = new AbortController();
    const makeThenStop = async () => {
      stop.abort();
      return make();
    };
    await spareKeyPool(cacheDir, "rsa-2048").fill(4, makeThenStop, stop.signal);
    expect(made).toBe(1);
    expect(await readdir(poolDir)).toEqual([]);
  });

  it("removes a dead filler's temporary files after an hour, never a live one's", async () => {
    await mkdir(poolDir, { mode: 0o700 });
    const old = join(poolDir, ".rsa-2048-aaaaaaaaaaaa.pem.bbbbbbbbbbbb");
    const fresh = join(poolDir, ".rsa-2048-cccccccccccc.pem.dddddddddddd");
    await writeFile(old, "half a k");
    await writeFile(fresh, "half a k");
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    await utimes(old, twoHoursAgo, twoHoursAgo);
    const pool = spareKeyPool(cacheDir, "rsa-2048");
    await pool.fill(1, make, never);
    const names = await readdir(poolDir);
    expect(names).toContain(".rsa-2048-cccccccccccc.pem.dddddddddddd");
    expect(names).not.toContain(".rsa-2048-aaaaaaaaaaaa.pem.bbbbbbbbbbbb");
    expect(await pool.take()).toBe("key 1\n");
    expect(await pool.take()).toBeUndefined();
  });
});
