/**
 * A fake Cloud Foundry serving the benchmark's blobs, and the staging tasks (stager-2016 style,
 * as the patched stager logs them) that point at it: one per scenario, each with its own app.
 * It remembers every cached dependency body it served (key and SHA-256), so that the Docker
 * volumes restager expands them into can be found and removed.
 */
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { FakeCf } from "../../test/kit/fake-cf/fake-cf.js";
import { buildStagingTask, type TaskDefinitionJson } from "../../test/kit/fake-cf/staging-task.js";
import { buildpackKey, buildTar, lifecycleEntries, md5Hex } from "../../test/kit/fixture-blobs.js";
import { paddedBuildpackZip, randomAppZip } from "./bench-blobs.js";
import type { ServedDependency } from "./dependency-volumes.js";

export interface BuildpackSpec {
  /** Fixture folder under fixtures/buildpacks. */
  fixture: string;
  padMb: number;
}

export interface ScenarioSpec {
  /** Short name used in file names and keys. */
  name: string;
  appMb: number;
  buildpacks: BuildpackSpec[];
}

export interface Scenario {
  appGuid: string;
  task: TaskDefinitionJson;
  taskFile: string;
  /** URL path → size in bytes, for every URL downloaded under a cache key. */
  keyedPaths: Map<string, number>;
}

const lifecyclePath = "buildpack_app_lifecycle/buildpack_app_lifecycle.tgz";
/** The lifecycle's cache key in a cflinuxfs4 staging task (lifecycleDependency). */
const lifecycleKey = "buildpack-cflinuxfs4-lifecycle";

export class BenchWorld implements AsyncDisposable {
  /** Every cached dependency body served so far. */
  readonly served: ServedDependency[] = [];
  #lifecycle = { path: "", size: 0 };
  #renewals = 0;

  private constructor(
    readonly cf: FakeCf,
    readonly dir: string,
  ) {}

  /** Starts the fake CF and serves a lifecycle; blobs are written under `dir`. */
  static async start(dir: string): Promise<BenchWorld> {
    const world = new BenchWorld(await FakeCf.start({ recordMd5: false }), dir);
    try {
      await world.renewLifecycle();
      return world;
    } catch (error) {
      await world.close();
      throw error;
    }
  }

  /**
   * Serves a new lifecycle body (the fixture's plus a random file) under the same URL and key,
   * so that nothing left from an earlier round — a volume, an image layer, a build cache
   * entry — matches it: each cold round is cold for both contenders. Answers its URL path and size.
   */
  async renewLifecycle(): Promise<{ path: string; size: number }> {
    const nonce = { path: "bench-nonce", type: "file" as const, mode: 0o644 };
    const entries = [...(await lifecycleEntries()), { ...nonce, data: Buffer.from(randomUUID()) }];
    const file = join(this.dir, `lifecycle-${++this.#renewals}.tgz`);
    await writeFile(file, gzipSync(buildTar(entries), { level: 9 }));
    const served = await this.cf.fileServer.add(lifecyclePath, file);
    this.served.push({ cacheKey: lifecycleKey, sha256: served.sha256, ownKey: false });
    this.#lifecycle = { path: new URL(served.url()).pathname, size: served.size };
    return this.#lifecycle;
  }

  /** Writes the scenario's app and buildpacks, registers them and writes its task JSON. */
  async scenario(spec: ScenarioSpec): Promise<Scenario> {
    const appGuid = randomUUID();
    const keyedPaths = new Map([[this.#lifecycle.path, this.#lifecycle.size]]);
    const buildpacks = [];
    for (const [index, bp] of spec.buildpacks.entries()) {
      const name = `${spec.name}-${index}-${bp.fixture}`;
      const key = buildpackKey(`bench:${name}:${randomUUID()}`);
      const zip = await paddedBuildpackZip(bp.fixture, bp.padMb, join(this.dir, `${name}.zip`));
      const blob = await this.cf.blobstore.add(`cc-buildpacks/${key}`, zip);
      keyedPaths.set(`/read/cc-buildpacks/${key}`, blob.size);
      this.served.push({ cacheKey: key, sha256: blob.sha256, ownKey: true });
      buildpacks.push({
        name: `${name}_buildpack`,
        key,
        url: blob.signedUrl(),
        dirName: md5Hex(key),
      });
    }
    const appZip = await randomAppZip(spec.appMb, this.dir, `${spec.name}-app.zip`);
    const app = await this.cf.blobstore.add(`cc-packages/${appGuid}`, appZip);
    const task = buildStagingTask({
      endpoints: this.cf.endpoints(),
      style: "stager-2016",
      appGuid,
      appName: `bench-${spec.name}`,
      stagingGuid: `${appGuid}-${randomUUID().replaceAll("-", "")}`,
      appPackageUrl: app.signedUrl(),
      buildpacks,
      buildArtifactsCacheUrl: this.cf.blobstore.buildCacheUrl(appGuid),
    });
    const taskFile = join(this.dir, `${spec.name}-task.json`);
    await writeFile(taskFile, JSON.stringify(task, null, 2));
    return { appGuid, task, taskFile, keyedPaths };
  }

  async close(): Promise<void> {
    await this.cf.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
