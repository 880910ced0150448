/**
 * The image config (the JSON whose sha256 is the image id), laid out as Diego runs a droplet:
 * user vcap in /home/vcap, the launcher as entrypoint with the web start command, port 8080,
 * and a health check that probes the port the way Diego's does (docs/diego.md §4.6, §6.8).
 */
import { createHash } from "node:crypto";
import type { ImageInfo } from "../container/image-store.js";
import { imageLabels } from "./image-labels.js";
import { startCommandOf, type ImageMetadata } from "./image-metadata.js";
import { formatImageTime } from "./image-time.js";

export const launcherPath = "/tmp/lifecycle/launcher";
export const appPort = 8080;
const second = 1_000_000_000;

/**
 * Docker runs the health check inside the container (same network namespace), as the user of
 * the image: the lifecycle's healthcheck dials the first non-loopback IPv4 address, as on a
 * cell. Docker 20.10 has one interval for start and liveness: 10 s, with Diego's 60 s start
 * timeout as the start period.
 */
export const healthcheck = {
  Test: ["CMD-SHELL", `/tmp/lifecycle/healthcheck -port=\${PORT:-${appPort}}`],
  Interval: 10 * second,
  Timeout: 5 * second,
  StartPeriod: 60 * second,
  Retries: 3,
};

export interface ConfigInput {
  base: ImageInfo;
  metadata: ImageMetadata;
  /** Every layer's diffID, base layers first. */
  diffIds: string[];
  /** Descriptions of the layers added on top of the base (one history entry each). */
  addedLayers: string[];
  time: Date;
  /** Extra `NAME=value` entries after PORT (e.g. the task's LANG). */
  env: string[];
  /** Extra labels (tests mark their images); restager's own win over them. */
  labels?: Record<string, string> | undefined;
}

export interface ImageConfig {
  /** The exact bytes handed to the engine. */
  bytes: Buffer;
  /** `sha256:<hex>` of `bytes`: the id the engine will give the image. */
  id: string;
}

export function buildImageConfig(input: ConfigInput): ImageConfig {
  const { base, metadata } = input;
  const created = formatImageTime(input.time);
  const labels = { ...base.labels, ...input.labels, ...imageLabels(metadata, created) };
  const config = {
    architecture: base.architecture,
    ...(base.variant ? { variant: base.variant } : {}),
    os: base.os,
    created,
    config: {
      User: "vcap",
      ExposedPorts: { [`${appPort}/tcp`]: {} },
      Env: imageEnv(base.env, [`PORT=${appPort}`, ...input.env]),
      // `docker run IMAGE "<command>" ""` replaces the start command: the launcher needs the
      // trailing (empty) metadata argument, as Cloud Controller always passes it.
      Entrypoint: [launcherPath, "app"],
      Cmd: [startCommandOf(metadata), ""],
      Healthcheck: healthcheck,
      WorkingDir: "/home/vcap",
      Labels: sortedRecord(labels),
    },
    rootfs: { type: "layers", diff_ids: input.diffIds },
    history: history(input, created),
  };
  const bytes = Buffer.from(JSON.stringify(config));
  return { bytes, id: `sha256:${createHash("sha256").update(bytes).digest("hex")}` };
}

/** The base env with each of `ours` replacing a same-named entry, then appended in order. */
export function imageEnv(baseEnv: readonly string[], ours: readonly string[]): string[] {
  const names = new Set(ours.map((entry) => entry.split("=", 1)[0]));
  return [...baseEnv.filter((entry) => !names.has(entry.split("=", 1)[0])), ...ours];
}

function history(input: ConfigInput, created: string): Record<string, string>[] {
  const baseCount = input.diffIds.length - input.addedLayers.length;
  const base = Array.from({ length: baseCount }, (_, index) => ({
    created,
    created_by: `restager: layer ${index + 1}/${baseCount} of ${input.metadata.stackImage}`,
  }));
  const added = input.addedLayers.map((description) => ({ created, created_by: description }));
  return [...base, ...added];
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key] ?? "";
  return sorted;
}
