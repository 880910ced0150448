/**
 * A fake Cloud Foundry serving the benchmark's blobs, and the staging tasks (stager-2016 style,
 * as the patched stager logs them) that point at it: one per scenario, each with its own app.
 */
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FakeCf } from "../../src/testing/fake-cf/fake-cf.js";
import {
  buildStagingTask,
  type TaskDefinitionJson,
} from "../../src/testing/fake-cf/staging-task.js";
import { buildLifecycleTgz, buildpackKey, md5Hex } from "../../src/testing/fixture-blobs.js";
import { paddedBuildpackZip, randomAppZip } from "./bench-blobs.js";

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

export class BenchWorld implements AsyncDisposable {
  private constructor(
    readonly cf: FakeCf,
    readonly dir: string,
    private readonly lifecycle: { path: string; size: number },
  ) {}

  /** Starts the fake CF and serves the fixture lifecycle; blobs are written under `dir`. */
  static async start(dir: string): Promise<BenchWorld> {
    const cf = await FakeCf.start();
    try {
      const tgz = await buildLifecycleTgz(dir);
      const file = await cf.fileServer.add(lifecyclePath, tgz.path);
      const path = new URL(file.url()).pathname;
      return new BenchWorld(cf, dir, { path, size: tgz.sizeBytes });
    } catch (error) {
      await cf.close();
      throw error;
    }
  }

  /** Writes the scenario's app and buildpacks, registers them and writes its task JSON. */
  async scenario(spec: ScenarioSpec): Promise<Scenario> {
    const appGuid = randomUUID();
    const keyedPaths = new Map([[this.lifecycle.path, this.lifecycle.size]]);
    const buildpacks = [];
    for (const [index, bp] of spec.buildpacks.entries()) {
      const name = `${spec.name}-${index}-${bp.fixture}`;
      const key = buildpackKey(`bench:${name}:${randomUUID()}`);
      const zip = await paddedBuildpackZip(bp.fixture, bp.padMb, this.dir, `${name}.zip`);
      const blob = await this.cf.blobstore.add(`cc-buildpacks/${key}`, zip);
      keyedPaths.set(`/read/cc-buildpacks/${key}`, blob.size);
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
