/** The staging task Cloud Controller builds and BBS stores today (docs/diego.md §2.4). */
import { derivedGuid, egressRules, lifecycleDependency } from "./app-env.js";
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
  upload,
  UPLOAD_PROGRESS,
  type ActionJson,
} from "./task-actions.js";

export function ccStagingTask(options: StagingTaskOptions): TaskDefinitionJson {
  const { appGuid, stagingGuid } = options;
  const [memoryMb, diskMb] = [options.memoryMb ?? 1024, options.diskMb ?? 4096];
  const builder = run("/tmp/lifecycle/builder", builderArgs(options), {
    env: builderEnv(options, memoryMb, diskMb),
    volume_mounted_files: null,
  });
  const steps = [...downloads(options), builder, uploads(options)];
  return {
    rootfs: `preloaded:${stackOf(options)}`,
    env: [{ name: "LANG", value: "en_US.UTF-8" }],
    action: { timeout: { action: serial(...steps), timeout_ms: timeoutSecondsOf(options) * 1000 } },
    disk_mb: diskMb,
    memory_mb: memoryMb,
    cpu_weight: 50,
    privileged: false,
    log_source: "STG",
    log_guid: appGuid,
    metrics_guid: "",
    result_file: "/tmp/result.json",
    completion_callback_url: `${options.endpoints.cloudController}/internal/v3/staging/${stagingGuid}/build_completed?start=false`,
    egress_rules: egressRules(),
    cached_dependencies: [
      lifecycleDependency(lifecycleUrlOf(options), stackOf(options)),
      ...buildpackDependencies(options, true),
    ],
    legacy_download_user: "vcap",
    trusted_system_certificates_path: "/etc/cf-system-certificates",
    ...platformFields(options),
  };
}

/** Both uploads are mandatory and keyed by the build guid; the cache URI carries the stack. */
function uploads(options: StagingTaskOptions): ActionJson {
  const { appGuid, stagingGuid, endpoints } = options;
  const dropletUri = `${endpoints.cloudController}/internal/v4/droplets/${stagingGuid}/upload`;
  const cacheUri = `${endpoints.cloudController}/internal/v4/buildpack_cache/${stackOf(options)}/${appGuid}/upload`;
  const droplet = ccUploaderUrl(options, { kind: "droplet", guid: stagingGuid, ccUri: dropletUri });
  const cache = ccUploaderUrl(options, {
    kind: "build_artifacts",
    guid: stagingGuid,
    ccUri: cacheUri,
  });
  const both = parallel(
    upload("droplet", "/tmp/droplet", droplet),
    upload("build artifacts cache", "/tmp/output-cache", cache),
  );
  return emitProgress(both, UPLOAD_PROGRESS);
}

/** Fields newer BBS models carry: network policy, pid limit, instance identity, log limits. */
function platformFields(options: StagingTaskOptions): TaskDefinitionJson {
  const { appGuid } = options;
  const orgGuid = derivedGuid(appGuid, "org");
  const spaceGuid = derivedGuid(appGuid, "space");
  return {
    network: {
      properties: {
        policy_group_id: appGuid,
        app_id: appGuid,
        space_id: spaceGuid,
        org_id: orgGuid,
        container_workload: "staging",
      },
    },
    max_pids: 1024,
    certificate_properties: {
      organizational_unit: [`organization:${orgGuid}`, `space:${spaceGuid}`, `app:${appGuid}`],
    },
    image_username: "",
    image_password: "",
    log_rate_limit: { bytes_per_second: -1 },
    metric_tags: { source_id: { static: appGuid }, app_name: { static: options.appName } },
    volume_mounted_files: null,
  };
}

/** The leading parallel download step; omitted when empty (never, since the package is always there). */
function downloads(options: StagingTaskOptions): ActionJson[] {
  const { appPackageUrl, appPackageSha256 } = options;
  const actions = [
    download({
      artifact: "app package",
      from: appPackageUrl,
      to: "/tmp/app",
      sha256: appPackageSha256,
    }),
  ];
  const { buildArtifactsCacheUrl: from, buildArtifactsCacheSha256: sha256 } = options;
  if (from !== undefined && sha256 !== undefined) {
    actions.push(
      tryAction(download({ artifact: "build artifacts cache", from, to: "/tmp/cache", sha256 })),
    );
  }
  return [parallel(...actions)];
}

/** Builder flags in the order CC's `LifecycleBuilderConfig` lists them. */
function builderArgs(options: StagingTaskOptions): string[] {
  const skipDetect = options.skipDetect ?? false;
  return [
    `-buildpackOrder=${options.buildpacks.map((bp) => bp.key).join(",")}`,
    "-skipCertVerify=false",
    `-skipDetect=${String(skipDetect)}`,
    "-buildDir=/tmp/app",
    "-outputDroplet=/tmp/droplet",
    "-outputMetadata=/tmp/result.json",
    "-outputBuildArtifactsCache=/tmp/output-cache",
    "-buildpacksDir=/tmp/buildpacks",
    "-buildArtifactsCacheDir=/tmp/cache",
  ];
}
