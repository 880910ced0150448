import type { ContainerSpec, VolumeMount } from "../common.js";
import { describeJsonType } from "./issue-log.js";
import { JsonReader } from "./json-reader.js";
import type { ParseContext } from "./parse-context.js";

type OptionalSpec = Pick<
  ContainerSpec,
  | "placementTags"
  | "maxPids"
  | "volumeMounts"
  | "networkProperties"
  | "metricTags"
  | "certificateProperties"
  | "logRateLimitBytesPerSecond"
>;

/**
 * Fields that affect scheduling, networking or observability only (docs/diego.md §3.11).
 * They are kept for `--json` and the plan; the ones only Cloud Controller–era BBS models carry
 * mark the request as such.
 */
export function readOptionalSpec(reader: JsonReader, ctx: ParseContext): OptionalSpec {
  for (const key of ["max_pids", "metric_tags", "certificate_properties", "log_rate_limit"]) {
    if (reader.has(key)) ctx.eraHints.add("cc");
  }
  return {
    placementTags: reader.strings("placement_tags"),
    maxPids: reader.number("max_pids", { min: 0 }) ?? 0,
    volumeMounts: readVolumeMounts(reader),
    networkProperties: readNetworkProperties(reader),
    metricTags: readMetricTags(reader),
    certificateProperties: readCertificateProperties(reader),
    logRateLimitBytesPerSecond: readLogRateLimit(reader),
  };
}

/** BBS ≥ 2016-09 uses `container_dir` + string mode; the 2016 model had `container_path` + 0/1. */
function readVolumeMounts(reader: JsonReader): VolumeMount[] {
  const mounts: VolumeMount[] = [];
  for (const element of reader.array("volume_mounts") ?? []) {
    const entry = JsonReader.of(element.value, element.path, reader.log);
    if (!entry) continue;
    entry.ignore("shared", "volume_id", "config", "device_type");
    const legacyMode = entry.raw("mode");
    const mode =
      typeof legacyMode === "number"
        ? legacyMode === 1
          ? "rw"
          : "r"
        : (entry.string("mode") ?? "r");
    const containerDir = entry.string("container_dir") ?? entry.string("container_path") ?? "";
    mounts.push({ driver: entry.string("driver") ?? "", containerDir, mode });
    entry.finish();
  }
  return mounts;
}

function readNetworkProperties(reader: JsonReader): Record<string, string> {
  const network = reader.object("network");
  const properties = network?.object("properties");
  network?.finish();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties?.fields ?? {})) {
    if (typeof value === "string") out[key] = value;
    else
      reader.log.error(
        `${properties?.pathOf(key) ?? key}`,
        `expected a string, got ${describeJsonType(value)}`,
      );
  }
  return out;
}

function readMetricTags(reader: JsonReader): Record<string, unknown> {
  const tags = reader.object("metric_tags");
  return tags ? { ...tags.fields } : {};
}

function readCertificateProperties(reader: JsonReader): ContainerSpec["certificateProperties"] {
  const properties = reader.object("certificate_properties");
  if (!properties) return undefined;
  const organizationalUnit = properties.strings("organizational_unit");
  properties.finish();
  return { organizationalUnit };
}

function readLogRateLimit(reader: JsonReader): number | undefined {
  const limit = reader.object("log_rate_limit");
  if (!limit) return undefined;
  const bytesPerSecond = limit.number("bytes_per_second");
  limit.finish();
  return bytesPerSecond;
}
