/** Gathers an image's metadata from the build options and what planning read in the droplet. */
import {
  factsFromResult,
  factsFromStagingInfo,
  type ImageMetadata,
  type StagingFacts,
} from "./image-metadata.js";
import { stagingInfoPath, type PlannedLayer } from "./planned-layer.js";

export interface AppFacts {
  appGuid?: string | undefined;
  appName?: string | undefined;
  taskGuid?: string | undefined;
  /** Stack name for the label; default: the stack image's repository name. */
  stack?: string | undefined;
  stackImage: string;
  /** The staging result (parsed result.json), when known. */
  result?: unknown;
  source?: string | undefined;
  revision?: string | undefined;
}

export async function buildMetadata(app: AppFacts, droplet: PlannedLayer): Promise<ImageMetadata> {
  const info = droplet.plan.captured.get(stagingInfoPath);
  const fromInfo = info ? await factsFromStagingInfo(info.toString("utf8")) : undefined;
  const facts = mergeFacts(factsFromResult(app.result), fromInfo);
  return {
    ...facts,
    appGuid: app.appGuid,
    appName: app.appName,
    taskGuid: app.taskGuid,
    stack: app.stack ?? stackNameOf(app.stackImage),
    stackImage: app.stackImage,
    dropletMd5Hex: droplet.md5Hex,
    dropletSha256Hex: droplet.sha256Hex,
    source: app.source,
    revision: app.revision,
  };
}

/** The result wins; staging_info.yml fills in what it lacks (a web command, the buildpack). */
function mergeFacts(result?: StagingFacts, info?: StagingFacts): StagingFacts {
  const processTypes = { ...info?.processTypes, ...result?.processTypes };
  const buildpacks = result?.buildpacks.length ? result.buildpacks : (info?.buildpacks ?? []);
  return { processTypes: sortKeys(processTypes), buildpacks };
}

/** `restager/cflinuxfs4:latest` → `cflinuxfs4`; `registry:5000/org/stack@sha256:..` → `stack`. */
export function stackNameOf(image: string): string {
  const withoutDigest = image.split("@")[0] ?? image;
  const last = withoutDigest.split("/").pop() ?? withoutDigest;
  return last.split(":")[0] || image;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key] ?? "";
  return sorted;
}
