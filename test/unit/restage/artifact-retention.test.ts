import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SpooledFile } from "../../../src/archive/ports.js";
import {
  ArtifactRetention,
  type KeptDropletFile,
} from "../../../src/restage/artifact-retention.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-retention-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function spooled(name: string, content: string, where = dir): Promise<SpooledFile> {
  const path = join(where, name);
  await writeFile(path, content);
  return {
    path,
    sizeBytes: content.length,
    md5Base64: "bWQ1",
    sha256Base64: "c2hhMjU2",
    entryName: name,
    release: () => rm(path, { force: true }),
  };
}

describe("ArtifactRetention", () => {
  it("keeps the droplet for the image as soon as it is spooled, while it is still uploaded", async () => {
    const told: KeptDropletFile[] = [];
    const outputDir = join(dir, "out");
    const retention = new ArtifactRetention({
      outputDir,
      keepArtifacts: false,
      keepDroplet: true,
      onDropletKept: (droplet) => told.push(droplet),
    });
    const file = await spooled("droplet-spool", "droplet bytes");
    const event = { artifact: "droplet", from: "/tmp/droplet", file };
    retention.onUploadSpooled(event);
    await expect.poll(() => told.length).toBe(1);
    const kept = join(outputDir, "droplet.tgz");
    expect(told[0]).toEqual({
      path: kept,
      sizeBytes: file.sizeBytes,
      md5Base64: file.md5Base64,
      sha256Base64: file.sha256Base64,
    });
    expect(await readFile(kept, "utf8")).toBe("droplet bytes");
    expect(retention.artifacts).toEqual([]);
    await retention.onUploadSettled(event);
    expect(retention.artifacts).toMatchObject([
      { artifact: "droplet", uploaded: true, path: kept },
    ]);
  });

  it("keeps the droplet as a second name of the spooled file, which outlives the spool", async () => {
    const outputDir = join(dir, "out");
    const retention = new ArtifactRetention({ outputDir, keepArtifacts: true });
    await mkdir(outputDir);
    await writeFile(join(outputDir, "droplet.tgz"), "a droplet of an earlier run");
    const file = await spooled("droplet-spool", "droplet bytes");
    const event = { artifact: "droplet", from: "/tmp/droplet", file };
    retention.onUploadSpooled(event);
    await retention.onUploadSettled(event);
    const kept = join(outputDir, "droplet.tgz");
    expect((await stat(kept)).ino).toBe((await stat(file.path)).ino);
    await file.release();
    expect(await readFile(kept, "utf8")).toBe("droplet bytes");
    expect((await stat(kept)).nlink).toBe(1);
  });

  it.skipIf(!existsSync("/dev/shm"))(
    "copies the droplet when the output directory is on another file system",
    async () => {
      const elsewhere = await mkdtemp(join("/dev/shm", "restager-retention-"));
      try {
        const retention = new ArtifactRetention({ outputDir: elsewhere, keepArtifacts: true });
        const file = await spooled("droplet-spool", "droplet bytes");
        const event = { artifact: "droplet", from: "/tmp/droplet", file };
        retention.onUploadSpooled(event);
        await retention.onUploadSettled(event);
        const kept = join(elsewhere, "droplet.tgz");
        expect((await stat(kept)).dev).not.toBe((await stat(file.path)).dev);
        await file.release();
        expect(await readFile(kept, "utf8")).toBe("droplet bytes");
      } finally {
        await rm(elsewhere, { recursive: true, force: true });
      }
    },
  );

  it("keeps nothing early that only a failed upload would keep, and tells of no droplet", async () => {
    const told: KeptDropletFile[] = [];
    const outputDir = join(dir, "out");
    const retention = new ArtifactRetention({
      outputDir,
      keepArtifacts: false,
      onDropletKept: (droplet) => told.push(droplet),
    });
    const file = await spooled("droplet-spool", "droplet bytes");
    const event = { artifact: "droplet", from: "/tmp/droplet", file };
    retention.onUploadSpooled(event);
    await retention.onUploadSettled(event);
    expect(told).toEqual([]);
    expect(retention.artifacts).toMatchObject([{ uploaded: true, path: undefined }]);
    await retention.onUploadSettled({ ...event, error: new Error("Upload failed") });
    expect(retention.artifacts[1]).toMatchObject({
      uploaded: false,
      path: join(outputDir, "droplet.tgz"),
    });
  });
});
