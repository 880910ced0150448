import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeVolumeFiles } from "../../../src/launch/volume-files.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("writing a cell's files into a volume from this host", () => {
  it("writes each file whole, 0644, with the given time, and leaves nothing else", async () => {
    const dir = await mkdtemp(join(tmpdir(), "restager-volume-"));
    dirs.push(dir);
    const mtime = new Date(1_800_000_000_000);
    const files = [
      { name: "instance.key", content: Buffer.from("key") },
      { name: "instance.crt", content: Buffer.from("crt") },
    ];
    expect(writeVolumeFiles(dir, files, mtime)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(["instance.crt", "instance.key"]);
    expect(await readFile(join(dir, "instance.crt"), "utf8")).toBe("crt");
    const info = await stat(join(dir, "instance.crt"));
    expect(info.mode & 0o777).toBe(0o644);
    expect(info.mtimeMs).toBe(mtime.getTime());
    if (process.getuid?.() === 0) expect([info.uid, info.gid]).toEqual([0, 0]);
  });

  it("says false when the volume is not on this host", () => {
    const files = [{ name: "instance.crt", content: Buffer.from("crt") }];
    expect(writeVolumeFiles("/nonexistent/volume/_data", files, new Date())).toBe(false);
  });
});
