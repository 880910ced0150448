/**
 * Two restages of different apps at once, sharing one --cache-dir: both must succeed, every
 * cached dependency must be fetched with a 200 once in all (the second restager waits for the
 * first one's entry on the entry's lock instead of downloading it too), and the entries must
 * be whole and valid: a second round revalidates every one of them with a 304.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { removeLabelledContainers } from "../kit/docker-leaks.js";
import { faults, type RecordedRequest } from "../kit/fake-cf/fake-cf.js";
import { buildAppZip } from "../kit/fixture-blobs.js";
import type { StagingWorld } from "../kit/staging-world.js";
import { useE2eCase, type E2eCase } from "../kit/e2e/e2e-case.js";
import { expectExit } from "../kit/e2e/expectations.js";

/** Requests for cached dependencies: the lifecycle and the buildpacks. */
const isCachedDependency = (r: RecordedRequest) =>
  (r.server === "fileServer" && r.path.includes("buildpack_app_lifecycle")) ||
  (r.server === "blobstore" && r.path.startsWith("/read/cc-buildpacks/"));

describe("two restages sharing a cache", () => {
  const current = useE2eCase();

  it("fetch each cached dependency once between them and leave valid entries", async () => {
    const e2e = current();
    const world = await e2e.world({ buildpacks: ["never", "static"] });
    const second = await secondApp(e2e, world);
    try {
      // Hold the first answer of every dependency, so the other restager surely asks for it
      // while the first download is still running.
      world.cf.inject({ server: "fileServer" }, faults.slow({ delayMs: 800 }));
      world.cf.inject(
        { server: "blobstore", path: "/read/cc-buildpacks/" },
        faults.slow({ delayMs: 800, times: 2 }),
      );
      const both = [world.taskFile, second.taskFile];
      const first = await Promise.all(both.map((file) => e2e.restage([file, "--no-image"])));
      first.forEach((run) => expectExit(run, 0));
      const round1 = world.cf.requests.filter(isCachedDependency);
      const fetched = round1.filter((r) => r.status === 200).map((r) => r.path);
      expect(fetched.sort()).toEqual([...new Set(fetched)].sort());
      expect(new Set(fetched).size).toBe(3);
      expect(round1.filter((r) => r.status !== 200 && r.status !== 304)).toEqual([]);
      // Diego's "Downloaded X (size)" means fetched, "Downloaded X" came from the cache.
      for (const name of ["never_buildpack", "static_buildpack"]) {
        const sized = first.filter((run) => run.stderr.includes(`Downloaded ${name} (`));
        expect(sized, name).toHaveLength(1);
      }
      expect(world.cf.uploadedDroplets()).toHaveLength(2);
      await expectValidEntries(e2e.cacheDir, world);

      const again = await Promise.all(both.map((file) => e2e.restage([file, "--no-image"])));
      again.forEach((run) => expectExit(run, 0));
      const round2 = world.cf.requests.filter(isCachedDependency).slice(round1.length);
      expect(round2.length).toBeGreaterThan(0);
      expect(round2.map((r) => r.status)).toEqual(round2.map(() => 304));
      expect(world.cf.uploadedDroplets()).toHaveLength(4);
      await expectValidEntries(e2e.cacheDir, world);
    } finally {
      await removeLabelledContainers("io.restager.app-guid", second.guid);
    }
  });
});

/**
 * The world's task for another app: its own guid, name and app package, the same buildpacks
 * and lifecycle (the same cache keys), served by the same fake Cloud Foundry.
 */
async function secondApp(
  e2e: E2eCase,
  world: StagingWorld,
): Promise<{ guid: string; taskFile: string }> {
  const guid = randomUUID();
  const zip = await buildAppZip("hello-static", join(e2e.dir, "second"));
  const blob = await world.cf.blobstore.add(`cc-packages/${guid}`, zip.path);
  let text = JSON.stringify(world.task).replaceAll(world.appGuid, guid);
  text = text.replaceAll("node-env", "node-env-two");
  const packageUrl = new RegExp(`http://[^"]+/read/cc-packages/${guid}\\?[^"]+`);
  if (!packageUrl.test(text)) throw new Error("no app package URL in the task");
  text = text.replace(packageUrl, blob.signedUrl());
  const taskFile = join(e2e.dir, "second-task.json");
  await writeFile(taskFile, text);
  return { guid, taskFile };
}

/** Every entry has its body and meta, of the recorded size and SHA-256, and is a served blob. */
async function expectValidEntries(cacheDir: string, world: StagingWorld): Promise<void> {
  const served = new Set(await Promise.all((await servedBlobs(world)).map(sha256OfFile)));
  const downloads = join(cacheDir, "downloads");
  const entries = await readdir(downloads);
  const bodies: string[] = [];
  for (const entry of entries) {
    const names = await readdir(join(downloads, entry));
    expect(
      names.filter((n) => n.endsWith(".tmp")),
      entry,
    ).toEqual([]);
    const meta = JSON.parse(await readFile(join(downloads, entry, "meta.json"), "utf8")) as {
      size: number;
      digests: { sha256: string };
    };
    const body = await readFile(join(downloads, entry, "body"));
    expect(body.length).toBe(meta.size);
    const sha256 = createHash("sha256").update(body).digest("hex");
    expect(sha256).toBe(meta.digests.sha256);
    bodies.push(sha256);
  }
  expect(new Set(bodies)).toEqual(served);
}

/** The lifecycle tarball and buildpack zips the world built (its app package is not cached). */
async function servedBlobs(world: StagingWorld): Promise<string[]> {
  const names = await readdir(world.dir);
  return names
    .filter((n) => n.endsWith("_buildpack.zip") || n === "buildpack_app_lifecycle.tgz")
    .map((n) => join(world.dir, n));
}

async function sha256OfFile(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}
