import { mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CancelledError } from "../../../src/errors.js";
import { acquireFileLock } from "../../../src/http/file-lock.js";
import { KeyLock } from "../../../src/http/key-lock.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-lock-test-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("acquireFileLock", () => {
  it("writes the owner's pid and removes the file on release", async () => {
    const path = join(dir, "lock");
    const lock = await acquireFileLock(path);
    expect(await readFile(path, "utf8")).toBe(`${process.pid}\n`);
    await lock.release();
    await expect(readFile(path)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("waits for a live holder", async () => {
    const path = join(dir, "lock");
    const first = await acquireFileLock(path, { pollMs: 5 });
    let acquired = false;
    const second = acquireFileLock(path, { pollMs: 5 }).then((lock) => {
      acquired = true;
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(acquired).toBe(false);
    await first.release();
    await (await second).release();
    expect(acquired).toBe(true);
  });

  it("takes over a lock whose pid is gone", async () => {
    const path = join(dir, "lock");
    await writeFile(path, "999999999\n");
    const lock = await acquireFileLock(path, { pollMs: 5 });
    expect(await readFile(path, "utf8")).toBe(`${process.pid}\n`);
    await lock.release();
  });

  it("takes over a lock nobody touched for staleMs, even if its pid looks alive", async () => {
    const path = join(dir, "lock");
    await writeFile(path, `${process.pid}\n`);
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    const lock = await acquireFileLock(path, { pollMs: 5, staleMs: 30_000 });
    await lock.release();
  });

  it("gives up waiting when the signal aborts", async () => {
    const path = join(dir, "lock");
    const held = await acquireFileLock(path);
    const controller = new AbortController();
    const waiting = acquireFileLock(path, { pollMs: 5, signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    await held.release();
  });
});

describe("KeyLock", () => {
  it("runs holders of one key one at a time, and other keys in parallel", async () => {
    const locks = new KeyLock({ pollMs: 5 });
    const events: string[] = [];
    const job = (name: string, key: string, ms: number) =>
      locks.run(join(dir, key), async () => {
        events.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        events.push(`end ${name}`);
      });
    await Promise.all([job("a1", "a", 30), job("a2", "a", 1), job("b", "b", 1)]);
    expect(events.indexOf("end a1")).toBeLessThan(events.indexOf("start a2"));
    expect(events.indexOf("end b")).toBeLessThan(events.indexOf("end a1"));
  });
});
