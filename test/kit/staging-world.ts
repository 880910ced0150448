/**
 * A fake Cloud Foundry with the fixture lifecycle, buildpacks and an app registered, plus the
 * staging task (and its lager log line) the patched stager would have logged for it. Used by the
 * e2e tests, the benchmarks and the demo.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeCf } from "./fake-cf/fake-cf.js";
import { stagingTaskLogLine } from "./fake-cf/log-lines.js";
import { buildStagingTask, type TaskDefinitionJson } from "./fake-cf/staging-task.js";
import {
  buildAppZip,
  buildBuildpackZip,
  buildLifecycleTgz,
  buildpackKey,
  md5Hex,
  xxh64Hex,
} from "./fixture-blobs.js";

export interface StagingWorldOptions {
  /** Fixture buildpack names, in order (fixtures/buildpacks/NAME). */
  buildpacks?: string[];
  /** Fixture app name (fixtures/apps/NAME). */
  app?: string;
  appName?: string;
  style?: "stager-2016" | "cc-2024";
  timeoutSeconds?: number;
  skipDetect?: boolean;
  /** Replaces a buildpack's recorded sha256 (cc-2024) to provoke a checksum failure. */
  wrongBuildpackSha256?: boolean;
  /**
   * The app guid (default {@link appGuid}). A unique one per test makes the staging container's
   * `io.restager.app-guid` label identify that test's containers for leak checks.
   */
  appGuid?: string;
  /** Run the fake Cloud Foundry in TLS mode (see FakeCfOptions.tls). */
  tls?: boolean;
}

export const appGuid = "273b4ea1-c0b9-4a7c-bd3b-5275150cad19";
export const stagingGuid = stagingGuidFor(appGuid);

function stagingGuidFor(guid: string): string {
  return `${guid}-7617e252827a4676a1fa71ae123ded3b`;
}

export class StagingWorld implements AsyncDisposable {
  readonly appGuid: string;
  readonly cf: FakeCf;
  readonly dir: string;
  readonly task: TaskDefinitionJson;
  /** The task as the patched stager logged it, in a log file. */
  readonly logFile: string;
  /** The bare task JSON, in a file. */
  readonly taskFile: string;

  private constructor(parts: {
    appGuid: string;
    cf: FakeCf;
    dir: string;
    task: TaskDefinitionJson;
    logFile: string;
    taskFile: string;
  }) {
    this.appGuid = parts.appGuid;
    this.cf = parts.cf;
    this.dir = parts.dir;
    this.task = parts.task;
    this.logFile = parts.logFile;
    this.taskFile = parts.taskFile;
  }

  /** The staging task guid: `<app guid>-<hex>`, as the stager formed it. */
  get stagingGuid(): string {
    return stagingGuidFor(this.appGuid);
  }

  static async create(options: StagingWorldOptions = {}): Promise<StagingWorld> {
    const dir = await mkdtemp(join(tmpdir(), "restager-world-"));
    const cf = await FakeCf.start({ tls: options.tls ?? false });
    const guid = options.appGuid ?? appGuid;
    try {
      const task = await registerBlobs(cf, { dir, appGuid: guid }, options);
      const logFile = join(dir, "stager.stdout.log");
      const taskFile = join(dir, "task.json");
      const ids = { appId: guid, stagingGuid: stagingGuidFor(guid) };
      await writeFile(
        logFile,
        `${noiseLine()}\n${stagingTaskLogLine(task, ids)}\n${noiseLine()}\n`,
      );
      await writeFile(taskFile, JSON.stringify(task, null, 2));
      return new StagingWorld({ appGuid: guid, cf, dir, task, logFile, taskFile });
    } catch (error) {
      await cf.close();
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    await this.cf.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function registerBlobs(
  cf: FakeCf,
  where: { dir: string; appGuid: string },
  options: StagingWorldOptions,
): Promise<TaskDefinitionJson> {
  const { dir, appGuid } = where;
  const style = options.style ?? "stager-2016";
  const lifecycle = await buildLifecycleTgz(dir);
  await cf.fileServer.add("buildpack_app_lifecycle/buildpack_app_lifecycle.tgz", lifecycle.path);
  const app = await buildAppZip(options.app ?? "hello-static", dir);
  const appBlob = await cf.blobstore.add(`cc-packages/${appGuid}`, app.path);
  const buildpacks = [];
  for (const name of options.buildpacks ?? ["never", "static"]) {
    const zip = await buildBuildpackZip(name, dir);
    const key = buildpackKey(name);
    const blob = await cf.blobstore.add(`cc-buildpacks/${key}`, zip.path);
    buildpacks.push({
      name: `${name}_buildpack`,
      key,
      url: blob.signedUrl(),
      dirName: style === "cc-2024" ? xxh64Hex(key) : md5Hex(key),
      sha256: options.wrongBuildpackSha256 ? "0".repeat(64) : zip.sha256Hex,
    });
  }
  return buildStagingTask({
    endpoints: cf.endpoints(),
    style,
    appGuid,
    appName: options.appName ?? "node-env",
    stagingGuid: stagingGuidFor(appGuid),
    appPackageUrl: appBlob.signedUrl(),
    appPackageSha256: app.sha256Hex,
    buildpacks,
    buildArtifactsCacheUrl: cf.blobstore.buildCacheUrl(appGuid),
    timeoutSeconds: options.timeoutSeconds,
    skipDetect: options.skipDetect,
  });
}

/** A line from another component, as found between requests in real logs. */
function noiseLine(): string {
  const data = { session: "7", "task-guid": "x" };
  return JSON.stringify({
    timestamp: "1465495530.000000000",
    source: "stager",
    message: "stager.staging-handler.staging-request.desiring-task",
    log_level: 1,
    data,
  });
}
