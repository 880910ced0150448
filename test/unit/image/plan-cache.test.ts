import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { c as createTar } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultImageTime } from "../../../src/image/image-time.js";
import {
  DirectoryPlanCache,
  planFileLayerCached,
  planKey,
  type PlanCache,
  type PlanFacts,
} from "../../../src/image/plan-cache.js";
import { dropletSpec, planFileLayer, stagingInfoPath } from "../../../src/image/planned-layer.js";
import { tarCodec } from "../../../src/archive/tar-codec.js";

/** A plan cache that counts what it is asked, in front of a real directory cache. */
class CountingCache implements PlanCache {
  gets = 0;
  hits = 0;
  puts = 0;
  constructor(private readonly inner: PlanCache) {}
  async get(key: string) {
    this.gets++;
    const found = await this.inner.get(key);
    if (found) this.hits++;
    return found;
  }
  async put(key: string, facts: PlanFacts) {
    this.puts++;
    await this.inner.put(key, facts);
  }
}

describe("plan cache", () => {
  let dir: string;
  let droplet: string;
  const spec = dropletSpec(defaultImageTime, tarCodec);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "restager-plan-cache-"));
    const root = join(dir, "root");
    await mkdir(join(root, "app"), { recursive: true });
    await writeFile(join(root, "app", "server.sh"), "echo hi\n");
    await writeFile(join(root, stagingInfoPath), '{"start_command":"sh server.sh"}');
    droplet = join(dir, "droplet.tgz");
    await createTar({ gzip: true, file: droplet, cwd: root, portable: true }, ["."]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("plans a file once and answers the same facts from the cache afterwards", async () => {
    const cache = new CountingCache(new DirectoryPlanCache(join(dir, "plans-a")));
    const source = { what: "droplet", file: droplet, spec };
    const first = await planFileLayerCached(cache, source, { capture: [stagingInfoPath] });
    const again = await planFileLayerCached(cache, source, { capture: [stagingInfoPath] });
    const direct = await planFileLayer("droplet", droplet, { spec, capture: [stagingInfoPath] });
    expect([cache.gets, cache.hits, cache.puts]).toEqual([2, 1, 1]);
    for (const layer of [first, again]) {
      expect(layer.plan.diffId).toBe(direct.plan.diffId);
      expect(layer.plan.sizeBytes).toBe(direct.plan.sizeBytes);
      expect([layer.md5Hex, layer.sha256Hex, layer.fileBytes]).toEqual([
        direct.md5Hex,
        direct.sha256Hex,
        direct.fileBytes,
      ]);
      expect(layer.plan.captured.get(stagingInfoPath)?.toString()).toBe(
        '{"start_command":"sh server.sh"}',
      );
    }
  });

  it("does not answer for a file rewritten in place, nor for another layout", async () => {
    const file = join(dir, "rewritten.tgz");
    await writeFile(file, "first bytes");
    const before = await planKey(file, spec, []);
    await writeFile(file, "other bytes");
    expect(await planKey(file, spec, [])).not.toBe(before);
    const otherTime = dropletSpec(new Date(0), tarCodec);
    expect(await planKey(file, otherTime, [])).not.toBe(await planKey(file, spec, []));
    expect(await planKey(file, spec, [stagingInfoPath])).not.toBe(await planKey(file, spec, []));
    expect(await planKey(join(dir, "missing.tgz"), spec, [])).toBeUndefined();
  });

  it("ignores a damaged entry and keeps at most 256 entries", async () => {
    const folder = join(dir, "plans-b");
    const cache = new DirectoryPlanCache(folder);
    const facts: PlanFacts = {
      sizeBytes: 1024,
      diffId: `sha256:${"0".repeat(64)}`,
      fileBytes: 10,
      md5Hex: "a",
      sha256Hex: "b",
      captured: {},
    };
    await cache.put("damaged", facts);
    await writeFile(join(folder, "damaged.json"), "{ not json");
    expect(await cache.get("damaged")).toBeUndefined();
    await writeFile(join(folder, "wrong.json"), JSON.stringify({ ...facts, diffId: "x" }));
    expect(await cache.get("wrong")).toBeUndefined();
    for (let i = 0; i < 260; i++) await cache.put(`k${i}`, facts);
    const names = (await readdir(folder)).filter((name) => name.endsWith(".json"));
    expect(names.length).toBe(256);
    expect(await cache.get("k259")).toEqual(facts);
  });
});
