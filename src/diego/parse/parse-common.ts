import type { DownloadAction } from "../actions.js";
import type { ContainerSpec } from "../common.js";
import { convertImageLayers, readImageLayers } from "./image-layers.js";
import type { JsonReader } from "./json-reader.js";
import type { ParseContext } from "./parse-context.js";
import { readCachedDependencies } from "./read-cached-dependencies.js";
import { readEgressRules } from "./read-egress-rules.js";
import { readEnv } from "./read-env.js";
import { readOptionalSpec } from "./read-optional-spec.js";

export interface ContainerSpecResult {
  spec: ContainerSpec;
  /** EXCLUSIVE image layers as downloads, to run in a `parallel` before the action/setup. */
  exclusiveDownloads: DownloadAction[];
}

/**
 * Reads the fields tasks and desired LRPs share. Must run before the actions are read: it sets
 * `ctx.legacyDownloadUser`, which receptor-era downloads and image-layer downloads run as.
 * `spec.legacyDownloadUser` holds that effective user ("vcap" when the request has none).
 */
export function readContainerSpec(reader: JsonReader, ctx: ParseContext): ContainerSpecResult {
  const recordedUser = reader.string("legacy_download_user") ?? "";
  ctx.legacyDownloadUser = recordedUser || "vcap";
  const imageLayers = readImageLayers(reader, ctx);
  const { shared, exclusive } = convertImageLayers(imageLayers, ctx.legacyDownloadUser);
  if (exclusive.length > 0 && !recordedUser) {
    ctx.log.error(
      reader.pathOf("legacy_download_user"),
      "missing (required when image_layers has EXCLUSIVE layers)",
    );
  }
  readTopLevelVolumeMountedFiles(reader, ctx);
  const spec: ContainerSpec = {
    rootfs: readRootfs(reader, ctx),
    env: readEnv(reader, "env"),
    diskMb: reader.number("disk_mb", { min: 0 }) ?? 0,
    memoryMb: reader.number("memory_mb", { min: 0 }) ?? 0,
    cpuWeight: reader.number("cpu_weight", { min: 0, max: 100 }) ?? 0,
    privileged: reader.boolean("privileged") ?? false,
    logSource: reader.string("log_source") ?? "",
    logGuid: reader.string("log_guid") ?? "",
    metricsGuid: reader.string("metrics_guid") ?? "",
    annotation: reader.string("annotation") ?? "",
    egressRules: readEgressRules(reader),
    cachedDependencies: [...shared, ...readCachedDependencies(reader, ctx)],
    legacyDownloadUser: ctx.legacyDownloadUser,
    trustedSystemCertificatesPath: reader.string("trusted_system_certificates_path") ?? "",
    imageLayers,
    imageUsername: reader.string("image_username") ?? "",
    imagePassword: reader.string("image_password") ?? "",
    ...readOptionalSpec(reader, ctx),
  };
  return { spec, exclusiveDownloads: exclusive };
}

/**
 * `rootfs`; receptor requests before 2015-02 named it `root_fs`, and until 2015-03 selected the
 * stack with a top-level `stack` key, which means `preloaded:<stack>`.
 */
function readRootfs(reader: JsonReader, ctx: ParseContext): string {
  const rootfs = reader.string("rootfs");
  const legacyRootfs = reader.string("root_fs");
  const stack = reader.string("stack");
  if (rootfs) return rootfs;
  if (legacyRootfs) {
    ctx.eraHints.add("receptor");
    ctx.log.warn(
      reader.pathOf("root_fs"),
      "deprecated key (receptor, before 2015-02); read as rootfs",
    );
    return legacyRootfs;
  }
  if (stack) {
    ctx.eraHints.add("receptor");
    ctx.log.warn(
      reader.pathOf("stack"),
      `deprecated key (receptor, before 2015-03); read as rootfs "preloaded:${stack}"`,
    );
    return `preloaded:${stack}`;
  }
  // A rootfs of the wrong type was already reported.
  if (rootfs === undefined && reader.has("rootfs")) return "";
  ctx.log.error(reader.pathOf("rootfs"), rootfs === "" ? "must not be empty" : "missing");
  return "";
}

/** Top-level `volume_mounted_files` (2024+) is only ever null in practice; files are not written. */
function readTopLevelVolumeMountedFiles(reader: JsonReader, ctx: ParseContext): void {
  if (Object.hasOwn(reader.fields, "volume_mounted_files")) ctx.eraHints.add("cc");
  const files = reader.array("volume_mounted_files");
  if (files && files.length > 0) {
    ctx.log.warn(
      reader.pathOf("volume_mounted_files"),
      "not written into the replay container; ignored",
    );
  }
}
