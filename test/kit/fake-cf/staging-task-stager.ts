/** The cc-bridge era staging task, as the patched stager logged it (docs/diego.md §2.3). */
import { egressRules, lifecycleDependency } from "./app-env.js";
import type { FakeCfEndpoints } from "./fake-cf-options.js";
import {
  builderEnv,
  buildpackDependencies,
  ccUploaderUrl,
  lifecycleUrlOf,
  stackOf,
  timeoutSecondsOf,
  type StagingTaskOptions,
  type TaskDefinitionJson,
} from "./staging-task-options.js";
import {
  download,
  emitProgress,
  parallel,
  run,
  serial,
  tryAction,
  STAGING_PROGRESS,
  upload,
  UPLOAD_PROGRESS,
  type ActionJson,
} from "./task-actions.js";

export function stagerStagingTask(options: StagingTaskOptions): TaskDefinitionJson {
  const { appGuid, stagingGuid, endpoints } = options;
  const [memoryMb, diskMb] = [options.memoryMb ?? 1024, options.diskMb ?? 6144];
  const cc = ccWithCredentials(endpoints);
  const builder = run("/tmp/lifecycle/builder", builderArgs(options), {
    env: builderEnv(options, memoryMb, diskMb),
  });
  const steps = stagingSteps(options, cc, builder);
  return {
    rootfs: `preloaded:${stackOf(options)}`,
    env: [{ name: "LANG", value: "en_US.UTF-8" }],
    // BBS of that era encoded the timeout in nanoseconds.
    action: { timeout: { action: serial(...steps), timeout: timeoutSecondsOf(options) * 1e9 } },
    disk_mb: diskMb,
    memory_mb: memoryMb,
    cpu_weight: 50,
    privileged: true,
    log_source: "STG",
    log_guid: appGuid,
    metrics_guid: "",
    result_file: "/tmp/result.json",
    completion_callback_url: `${endpoints.stager}/v1/staging/${stagingGuid}/completed`,
    annotation: JSON.stringify({
      lifecycle: "buildpack",
      completion_callback: `${cc}/internal/staging/${stagingGuid}/completed`,
    }),
    egress_rules: egressRules(),
    cached_dependencies: [
      lifecycleDependency(lifecycleUrlOf(options), stackOf(options)),
      ...buildpackDependencies(options, false),
    ],
    legacy_download_user: "vcap",
    trusted_system_certificates_path: "/etc/cf-system-certificates",
  };
}

/** download, try download, "Staging..." builder, "Uploading..." parallel uploads. */
function stagingSteps(options: StagingTaskOptions, cc: string, builder: ActionJson): ActionJson[] {
  const { appGuid } = options;
  const steps = [
    download({ artifact: "app package", from: options.appPackageUrl, to: "/tmp/app" }),
  ];
  const cacheUrl = options.buildArtifactsCacheUrl;
  if (cacheUrl !== undefined) {
    steps.push(
      tryAction(download({ artifact: "build artifacts cache", from: cacheUrl, to: "/tmp/cache" })),
    );
  }
  const dropletUri = `${cc}/staging/droplets/${appGuid}/upload`;
  const cacheUri = `${cc}/staging/buildpack_cache/${appGuid}/upload`;
  const droplet = ccUploaderUrl(options, { kind: "droplet", guid: appGuid, ccUri: dropletUri });
  const cache = ccUploaderUrl(options, { kind: "build_artifacts", guid: appGuid, ccUri: cacheUri });
  const uploads = parallel(
    upload("droplet", "/tmp/droplet", droplet),
    tryAction(upload("build artifacts cache", "/tmp/output-cache", cache)),
  );
  steps.push(emitProgress(builder, STAGING_PROGRESS), emitProgress(uploads, UPLOAD_PROGRESS));
  return steps;
}

/** Builder flags in Go's `flag.VisitAll` order (lexicographic), as the stager emitted them. */
function builderArgs(options: StagingTaskOptions): string[] {
  const flags: Record<string, string> = {
    buildArtifactsCacheDir: "/tmp/cache",
    buildDir: "/tmp/app",
    buildpackOrder: options.buildpacks.map((bp) => bp.key).join(","),
    buildpacksDir: "/tmp/buildpacks",
    outputBuildArtifactsCache: "/tmp/output-cache",
    outputDroplet: "/tmp/droplet",
    outputMetadata: "/tmp/result.json",
    skipCertVerify: "false",
    skipDetect: String(options.skipDetect ?? false),
  };
  return Object.keys(flags)
    .sort()
    .map((name) => `-${name}=${flags[name]}`);
}

/** `http://user:pass@host:port` of the fake CC: v2 URIs carry basic auth in their userinfo. */
function ccWithCredentials(endpoints: FakeCfEndpoints): string {
  const url = new URL(endpoints.cloudController);
  url.username = endpoints.credentials.username;
  url.password = endpoints.credentials.password;
  return url.toString().replace(/\/$/, "");
}
