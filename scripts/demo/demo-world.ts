/**
 * Step 1 and 2 of the demo: the fake Cloud Foundry with the fixture lifecycle, buildpacks and
 * app registered (a StagingWorld), and the two log files the patched components would have
 * written: the stager's `staging-task-request` line and, once the droplet is stored (step 3),
 * nsync's `desired-app-request` line.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildDesiredLrp, type DesiredLrpJson } from "../../test/kit/fake-cf/desired-lrp.js";
import { desiredLrpLogLine } from "../../test/kit/fake-cf/log-lines.js";
import { StagingWorld } from "../../test/kit/staging-world.js";
import { demoApp, logFiles } from "./demo-app.js";

/** Starts the fake CF; the world's directory holds the logs and is the commands' cwd. */
export function startDemoWorld(): Promise<StagingWorld> {
  return StagingWorld.create({
    app: demoApp.fixture,
    appName: demoApp.name,
    appGuid: demoApp.guid,
    buildpacks: [...demoApp.buildpacks],
  });
}

/** Where each fake server is and what it serves, for the step's details. */
export function describeWorld(world: StagingWorld): string[] {
  const urls = world.cf.endpoints();
  const buildpacks = demoApp.buildpacks.map((name) => `${name}_buildpack`).join(", ");
  return [
    `file server       ${urls.fileServer}  (buildpack_app_lifecycle.tgz)`,
    `blobstore         ${urls.blobstore}  (${buildpacks}; app package ${demoApp.fixture})`,
    `cc-uploader       ${urls.ccUploader}  (droplet and build artifacts cache uploads)`,
    `Cloud Controller  ${urls.cloudController}  (stores the droplet, serves it to cells)`,
    `stager            ${urls.stager}  (staging completion callback)`,
  ];
}

export interface DemoLogs {
  stagerLog: string;
  nsyncLog: string;
  lrp: DesiredLrpJson;
}

/**
 * The StagingWorld already wrote the stager log (the staging task between two unrelated
 * lines). nsync's line carries the desired LRP Cloud Controller asks for once the app is
 * staged, so it is written then: its droplet comes from CC's v2 droplet download, whose path
 * names the stored droplet's checksum (CC answers 404 to any other), and its health check is a
 * port check.
 */
export async function writeNsyncLog(
  world: StagingWorld,
  droplet: { sha256: string },
): Promise<DemoLogs> {
  const cc = world.cf.endpoints().cloudController;
  const lrp = buildDesiredLrp({
    endpoints: world.cf.endpoints(),
    appGuid: demoApp.guid,
    appName: demoApp.name,
    dropletUrl: `${cc}/internal/v2/droplets/${demoApp.guid}/${droplet.sha256}/download`,
    // CC sends the start command the staging detected (the static buildpack's web process).
    startCommand: "busybox httpd -f -p $PORT -h /home/vcap/app/public",
    instances: demoApp.instances,
    memoryMb: demoApp.memoryMb,
    healthCheck: { type: "port" },
  });
  const nsyncLog = join(world.dir, logFiles.nsync);
  await writeFile(nsyncLog, `${desiredLrpLogLine(lrp)}\n`);
  return { stagerLog: world.logFile, nsyncLog, lrp };
}
