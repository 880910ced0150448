/**
 * Hostile archives of the bad-input corpus (fixtures/bad/archives/) served by the fake Cloud
 * Foundry as the app package (a download action) or a buildpack (a cached dependency): the task
 * fails (exit 1) naming the refused entry, with no `Error:` line and no stack trace; nothing
 * lands outside the download's `to` in the (kept, then removed) container, nothing outside the
 * run's directories on the host, and the restager process stays under 200 MB.
 */
import { join } from "node:path";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { buildpackKey } from "../kit/fixture-blobs.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import { expectExit, expectNoStackTrace } from "../kit/e2e/expectations.js";
import {
  badDir,
  exists,
  expectNothingWritten,
  markedFiles,
  measuredCli,
  removeKept,
  volumesOf,
} from "../kit/e2e/bad-input-checks.js";

interface ArchiveCase {
  file: string;
  /** The refused entry and why, as the user reads it. */
  reason: RegExp;
  /** Paths inside the container that must not exist. */
  absent: string[];
}

const archiveCases: ArchiveCase[] = [
  {
    file: "zip-dotdot.zip",
    reason: /Refusing archive entry '\.\.\/evil': its path climbs out/,
    absent: ["/tmp/evil"],
  },
  {
    file: "tar-dotdot.tar",
    reason: /Refusing archive entry '\.\.\/evil': its path climbs out/,
    absent: ["/tmp/evil"],
  },
  {
    file: "zip-absolute.zip",
    reason: /Refusing archive entry '\/etc\/evil': its path is absolute/,
    absent: ["/etc/evil"],
  },
  {
    file: "tar-absolute.tgz",
    reason: /Refusing archive entry '\/etc\/evil': its path is absolute/,
    absent: ["/etc/evil"],
  },
  {
    file: "zip-symlink-absolute.zip",
    reason: /Refusing archive entry 'link': its link target is absolute/,
    absent: ["/tmp/app/link"],
  },
  {
    file: "tar-symlink-climbing.tar",
    reason: /Refusing archive entry 'link': its target '[./]+etc' climbs out/,
    absent: ["/tmp/app/link"],
  },
  {
    file: "zip-10g-claim.zip",
    reason: /Refusing archive entry 'huge\.bin': it declares 10737418240 bytes, over the limit/,
    absent: ["/tmp/app/huge.bin"],
  },
];

describe("hostile archives as the app package", () => {
  const current = useE2eCase();

  for (const item of archiveCases) {
    it(`${item.file}: the task fails (exit 1) naming the entry; nothing lands outside /tmp/app`, async () => {
      const e2e = current();
      const world = await e2e.world({ buildpacks: ["static"] });
      await world.cf.blobstore.add(
        `cc-packages/${world.appGuid}`,
        join(badDir, "archives", item.file),
      );
      const run = await measuredCli(e2e, "restage", [
        world.taskFile,
        "--keep",
        "--no-image",
        "--cache-dir",
        e2e.cacheDir,
      ]);
      try {
        expectExit(run, 1);
        // Diego fails the download step (the archive is expanded as it streams in).
        expect(run.stderr).toContain("[STG] ERR Downloading app package failed");
        expect(run.stderr).toMatch(/^Staging failed: Downloading app package failed$/m);
        expect(run.stderr).toMatch(item.reason);
        expect(run.stderr).toMatch(/^Hint: /m);
        expect(run.stderr.match(/^Error: /gm) ?? []).toEqual([]);
        expectNoStackTrace(run);
        expect(world.cf.requestsTo("ccUploader")).toEqual([]);
        const [kept] = await e2e.newContainers();
        expect(kept, "the --keep container").toBeDefined();
        const container = new Docker().getContainer(kept?.id ?? "");
        // `ok.txt`, streamed before the refused entry, may land in /tmp/app; nothing else may.
        expect(await exists(container, "/etc/passwd"), "docker exec works").toBe(true);
        for (const path of await markedFiles(container)) expect(path).toMatch(/^\/tmp\/app\//);
        for (const path of item.absent) expect(await exists(container, path), path).toBe(false);
      } finally {
        await removeKept(e2e);
      }
      await expectNothingWritten(e2e);
    });
  }
});

describe("hostile archives as a buildpack (a cached dependency)", () => {
  const current = useE2eCase();

  it("zip-dotdot.zip: the task fails (exit 1) before its container exists, leaving no volume", async () => {
    const e2e = current();
    const world = await e2e.world({ buildpacks: ["static"] });
    const key = buildpackKey("static");
    await world.cf.blobstore.add(
      `cc-buildpacks/${key}`,
      join(badDir, "archives", "zip-dotdot.zip"),
    );
    const before = await volumesOf(key);
    const run = await measuredCli(e2e, "restage", [
      world.taskFile,
      "--no-image",
      "--cache-dir",
      e2e.cacheDir,
    ]);
    expectExit(run, 1);
    expect(run.stderr).toContain("[STG] OUT Downloading static_buildpack failed");
    expect(run.stderr).toMatch(/Refusing archive entry '\.\.\/evil': its path climbs out/);
    expect(run.stderr.match(/^Error: /gm) ?? []).toEqual([]);
    expectNoStackTrace(run);
    // The buildpack's earlier (good) body may have a volume; this body must not get one.
    expect(await volumesOf(key)).toEqual(before);
    await expectNothingWritten(e2e);
  });
});
