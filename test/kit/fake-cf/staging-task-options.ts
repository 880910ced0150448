/** Options of the staging-task builders and the helpers both task styles share. */
import { cfAppEnv, derivedGuid, LIFECYCLE_PATH, type EnvVar } from "./app-env.js";
import type { FakeCfEndpoints } from "./fake-cf-options.js";

export interface StagingBuildpack {
  name: string;
  /** Buildpack key (`<guid>_<sha>` or a URL); it is also the cache key. */
  key: string;
  /** Download URL, e.g. a blobstore signed URL. */
  url: string;
  /** Directory under /tmp/buildpacks: md5 hex of the key (stager) or XXH64 hex (CC ≥ 2024). */
  dirName: string;
  /** SHA-256 hex of the zip; cc-2024 puts it in the download's checksum. */
  sha256?: string;
}

export interface StagingTaskOptions {
  endpoints: FakeCfEndpoints;
  /** Default `stager-2016`. */
  style?: "stager-2016" | "cc-2024";
  appGuid: string;
  appName: string;
  /** Task guid: `<app guid>-<hex>` with the stager, the v3 build guid with CC. */
  stagingGuid: string;
  /** Signed URL of the app package (zip). */
  appPackageUrl: string;
  /** SHA-256 hex of the package; cc-2024 adds it as the download checksum. */
  appPackageSha256?: string;
  /** Default: the file server's lifecycle path. */
  lifecycleUrl?: string;
  buildpacks: StagingBuildpack[];
  /** Build artifacts cache download (wrapped in `try`); none when absent. */
  buildArtifactsCacheUrl?: string;
  /** cc-2024 downloads the cache only when its SHA-256 is known. */
  buildArtifactsCacheSha256?: string;
  /** Default cflinuxfs4. */
  stack?: string;
  memoryMb?: number;
  diskMb?: number;
  /** Default 900 (15 min). */
  timeoutSeconds?: number;
  skipDetect?: boolean;
  /** Extra variables for the builder run, after CC's (before CF_STACK). */
  env?: EnvVar[];
}

export type TaskDefinitionJson = Record<string, unknown>;

export function stackOf(options: StagingTaskOptions): string {
  return options.stack ?? "cflinuxfs4";
}

export function timeoutSecondsOf(options: StagingTaskOptions): number {
  return options.timeoutSeconds ?? 900;
}

export function lifecycleUrlOf(options: StagingTaskOptions): string {
  return options.lifecycleUrl ?? `${options.endpoints.fileServer}/v1/static/${LIFECYCLE_PATH}`;
}

/**
 * The builder run's env. 2016: CC's app env, the extra vars, then CF_STACK (the stager's one
 * addition). 2024: CC's hash order — app vars, CF_STACK, VCAP_APPLICATION, MEMORY_LIMIT, VCAP_SERVICES.
 */
export function builderEnv(
  options: StagingTaskOptions,
  memoryMb: number,
  diskMb: number,
): EnvVar[] {
  const app = { appGuid: options.appGuid, appName: options.appName, memoryMb, diskMb };
  const cfEnv = cfAppEnv(app, derivedGuid(options.stagingGuid, "version"));
  const stack = { name: "CF_STACK", value: stackOf(options) };
  const extra = options.env ?? [];
  return options.style === "cc-2024" ? [...extra, stack, ...cfEnv] : [...cfEnv, ...extra, stack];
}

/** `<cc-uploader>/v1/<kind>/<guid>?<param>=<url-encoded CC URI>&timeout=<s>` (docs/diego.md §5.1). */
export function ccUploaderUrl(
  options: StagingTaskOptions,
  { kind, guid, ccUri }: { kind: "droplet" | "build_artifacts"; guid: string; ccUri: string },
): string {
  const param = kind === "droplet" ? "cc-droplet-upload-uri" : "cc-build-artifacts-upload-uri";
  const query = new URLSearchParams({ [param]: ccUri, timeout: String(timeoutSecondsOf(options)) });
  return `${options.endpoints.ccUploader}/v1/${kind}/${guid}?${query.toString()}`;
}

/** Buildpack cached dependencies: `/tmp/buildpacks/<dirName>`, keyed by the buildpack key. */
export function buildpackDependencies(
  options: StagingTaskOptions,
  withChecksums: boolean,
): Record<string, unknown>[] {
  return options.buildpacks.map((bp) => ({
    name: bp.name,
    from: bp.url,
    to: `/tmp/buildpacks/${bp.dirName}`,
    cache_key: bp.key,
    log_source: "",
    ...(withChecksums && bp.sha256 !== undefined
      ? { checksum_algorithm: "sha256", checksum_value: bp.sha256 }
      : {}),
  }));
}
