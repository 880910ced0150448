/**
 * The labels of a launcher image. Other commands (`launch`) find an app's image by these keys,
 * so they are a contract: change none of them without changing every reader.
 */
import type { ImageMetadata } from "./image-metadata.js";

export const ImageLabel = {
  managed: "io.restager.managed",
  appGuid: "io.restager.app-guid",
  appName: "io.restager.app-name",
  dropletMd5: "io.restager.droplet-md5",
  dropletSha256: "io.restager.droplet-sha256",
  stack: "io.restager.stack",
  /** JSON array of `{name, version, key}` ("" when unknown). */
  buildpacks: "io.restager.buildpacks",
  /** JSON object: process type → command. */
  processTypes: "io.restager.process-types",
  taskGuid: "io.restager.task-guid",
  /** `process_types.web`: the command the image runs by default. */
  startCommand: "io.restager.start-command",
  created: "org.opencontainers.image.created",
  source: "org.opencontainers.image.source",
  revision: "org.opencontainers.image.revision",
  title: "org.opencontainers.image.title",
  baseName: "org.opencontainers.image.base.name",
} as const;

/** restager's labels for `metadata`; absent optional values are left out, not emptied. */
export function imageLabels(metadata: ImageMetadata, created: string): Record<string, string> {
  const labels: Record<string, string> = {
    [ImageLabel.managed]: "true",
    [ImageLabel.dropletMd5]: metadata.dropletMd5Hex,
    [ImageLabel.dropletSha256]: metadata.dropletSha256Hex,
    [ImageLabel.stack]: metadata.stack,
    [ImageLabel.buildpacks]: JSON.stringify(metadata.buildpacks),
    [ImageLabel.processTypes]: JSON.stringify(metadata.processTypes),
    [ImageLabel.startCommand]: metadata.processTypes.web ?? "",
    [ImageLabel.created]: created,
    [ImageLabel.baseName]: metadata.stackImage,
  };
  const optional: [string, string | undefined][] = [
    [ImageLabel.appGuid, metadata.appGuid],
    [ImageLabel.appName, metadata.appName],
    [ImageLabel.title, metadata.appName],
    [ImageLabel.taskGuid, metadata.taskGuid],
    [ImageLabel.source, metadata.source],
    [ImageLabel.revision, metadata.revision],
  ];
  for (const [key, value] of optional) if (value !== undefined && value !== "") labels[key] = value;
  return labels;
}
