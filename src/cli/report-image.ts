import { formatByteSize } from "../diego/messages.js";
import type { Output } from "./output.js";
import type { ImageRun } from "../app/image.js";

/** The image summary on stderr: names, id, sizes against the droplet's, and the push. */
export function printImage(output: Output, run: ImageRun): void {
  const { built, pushed } = run;
  const [first, ...others] = built.tags;
  const how = built.reused ? "already in the engine, tagged" : "built";
  output.info(`Image ${first ?? built.id} ${how} in ${seconds(run.buildMs)}`);
  output.info(`  id ${built.id}`);
  if (others.length > 0) output.info(`  also tagged ${others.join(", ")}`);
  output.info(
    `  droplet ${formatByteSize(built.dropletFileBytes)} → layer ${formatByteSize(built.dropletLayerBytes)}; ` +
      `lifecycle layer ${formatByteSize(built.lifecycleLayerBytes)}; image ${formatByteSize(built.sizeBytes)} with the stack`,
  );
  output.info(
    `  start command: ${built.metadata.processTypes.web || "(none: give one at docker run)"}`,
  );
  if (pushed) {
    output.info(`Pushed ${pushed.repository}@${pushed.digest} in ${seconds(run.pushMs ?? 0)}`);
    output.info(`  ${pushed.layersPushed} layer(s) pushed, ${pushed.layersExisting} already there`);
    for (const ref of pushed.refs) output.info(`  ${ref}`);
  }
}

/** The `image` part of --json reports. */
export function imageJson(run: ImageRun): Record<string, unknown> {
  const { built, pushed } = run;
  return {
    id: built.id,
    tags: built.tags,
    size: built.sizeBytes,
    droplet_size: built.dropletFileBytes,
    droplet_layer_size: built.dropletLayerBytes,
    lifecycle_layer_size: built.lifecycleLayerBytes,
    droplet_md5: built.metadata.dropletMd5Hex,
    droplet_sha256: built.metadata.dropletSha256Hex,
    start_command: built.metadata.processTypes.web ?? "",
    build_ms: Math.round(run.buildMs),
    reused: built.reused,
    pushed: pushed
      ? {
          refs: pushed.refs,
          digest: pushed.digest,
          repository: pushed.repository,
          push_ms: Math.round(run.pushMs ?? 0),
        }
      : null,
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
