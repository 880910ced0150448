import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import type { Container } from "../../../src/container/container.js";
import { DockerImageStore } from "../../../src/container/docker-image-store.js";
import { DockerRuntime } from "../../../src/container/docker-runtime.js";
import {
  dependencyVolumeLabels,
  markerVolumeLabels,
  markerVolumeName,
} from "../../../src/restage/dependency-volume-name.js";
import { assertNoLeakedContainers, TEST_RUN_LABEL } from "../../kit/docker-leaks.js";
import {
  listCache,
  pruneCandidates,
  removeCacheItem,
  type CacheDeps,
  type CacheItem,
} from "../../../src/cache/cache-contents.js";

// The engine is shared with other work: this test only ever removes the volumes it made.

const runId = `cache-${randomUUID()}`;
const runtime = new DockerRuntime();
const token = `test-${randomUUID()}`;
const unused = `restager-test-dep-${randomUUID().slice(0, 12)}`;
const mounted = `restager-test-dep-${randomUUID().slice(0, 12)}`;
let dir: string;
let deps: CacheDeps;
let user: Container | undefined;

async function makeDependencyVolume(name: string): Promise<void> {
  const labels = { [TEST_RUN_LABEL]: runId };
  await runtime.volumes.create(name, {
    ...dependencyVolumeLabels(`key-${name}`, token),
    ...labels,
  });
  await runtime.volumes.create(markerVolumeName(name), {
    ...markerVolumeLabels(name, token),
    ...labels,
  });
}

async function writeEntry(name: string, locked: boolean): Promise<string> {
  const entry = join(dir, "downloads", name.repeat(64));
  await mkdir(entry, { recursive: true });
  await writeFile(join(entry, "body"), "12345");
  const meta = { url: `https://example.test/${name}`, size: 5, storedAt: "2020-01-01T00:00:00Z" };
  await writeFile(join(entry, "meta.json"), JSON.stringify(meta));
  if (locked) await writeFile(join(entry, "lock"), `${process.pid}\n`);
  return entry;
}

const mine = (items: CacheItem[]) =>
  items.filter((item) => [unused, mounted].includes(item.name) || item.name.startsWith(dir));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-cache-"));
  deps = { volumes: runtime.volumes, images: new DockerImageStore(), cacheDir: dir };
  await makeDependencyVolume(unused);
  await makeDependencyVolume(mounted);
  user = await runtime.createUnstarted({
    image: "restager/stack:bookworm",
    env: [],
    labels: { [TEST_RUN_LABEL]: runId, "io.restager.managed": "true" },
    volumes: [{ name: mounted, target: "/dep", readOnly: true }],
  });
});

afterAll(async () => {
  await user?.remove();
  for (const name of [unused, mounted]) {
    await runtime.volumes.remove(markerVolumeName(name));
    await runtime.volumes.remove(name);
  }
  await rm(dir, { recursive: true, force: true });
  await assertNoLeakedContainers(TEST_RUN_LABEL, runId);
});

describe("restager cache", () => {
  it("lists dependency volumes (markers folded in) and download entries, with what is in use", async () => {
    await writeEntry("a", false);
    await writeEntry("b", true);
    const items = mine(await listCache(deps));
    const byName = new Map(items.map((item) => [item.name.replace(`${dir}/downloads/`, ""), item]));
    expect(byName.get(unused)).toMatchObject({
      kind: "volume",
      inUse: false,
      source: `key-${unused}`,
    });
    expect(byName.get(mounted)).toMatchObject({ kind: "volume", inUse: true });
    expect(byName.get("a".repeat(64))).toMatchObject({
      kind: "download",
      inUse: false,
      sizeBytes: 5,
      source: "https://example.test/a",
    });
    expect(byName.get("b".repeat(64))).toMatchObject({ kind: "download", inUse: true });
    expect(items.some((item) => item.name === markerVolumeName(unused))).toBe(false);
  });

  it("prints what prune would remove and removes nothing without --force", async () => {
    const stdout = new PassThrough();
    let printed = "";
    stdout.on("data", (chunk: Buffer) => (printed += chunk.toString()));
    const code = await main(["cache", "prune", "--cache-dir", dir], {
      stdin: new PassThrough(),
      stdout,
      stderr: new PassThrough(),
      env: process.env,
    });
    expect(code).toBe(0);
    expect(printed).toContain(`would remove\tvolume\t${unused}\n`);
    expect(printed).toContain(
      `would remove\tdownload\t${join(dir, "downloads", "a".repeat(64))}\n`,
    );
    expect(printed).not.toContain(mounted);
    expect(printed).not.toContain("b".repeat(64));
    expect(await runtime.volumes.inspect(unused)).toBeDefined();
  });

  it("prunes by age, never what is in use, and removes a volume with its marker", async () => {
    const now = new Date();
    const items = mine(await listCache(deps));
    const old = pruneCandidates(items, { olderThanMs: 3_600_000, now });
    // The volumes were made a moment ago; the unlocked download was stored in 2020.
    expect(old.map((item) => item.kind)).toEqual(["download"]);
    const all = pruneCandidates(items, { now });
    expect(all.map((item) => item.name).sort()).toEqual(
      [unused, join(dir, "downloads", "a".repeat(64))].sort(),
    );
    for (const item of all) expect(await removeCacheItem(item, deps)).toBe(true);
    expect(await runtime.volumes.inspect(unused)).toBeUndefined();
    expect(await runtime.volumes.inspect(markerVolumeName(unused))).toBeUndefined();
    await expect(stat(join(dir, "downloads", "a".repeat(64)))).rejects.toThrow();
    const inUse = items.find((item) => item.name === mounted) as CacheItem;
    expect(await removeCacheItem({ ...inUse, inUse: false }, deps)).toBe(false);
    expect(await runtime.volumes.inspect(mounted)).toBeDefined();
  });
});
