/**
 * What an image says about the app it runs, read from the staging result (`result.json`,
 * docs/diego.md §6.6) or, without one, from the droplet's `staging_info.yml`.
 */

export interface BuildpackInfo {
  name: string;
  version: string;
  key: string;
}

export interface StagingFacts {
  /** `process_types` from the result, or `{ web: start_command }` from staging_info.yml. */
  processTypes: Record<string, string>;
  buildpacks: BuildpackInfo[];
}

/** Everything the labels and the config are made of. */
export interface ImageMetadata extends StagingFacts {
  appGuid?: string | undefined;
  appName?: string | undefined;
  taskGuid?: string | undefined;
  /** Stack name, e.g. `cflinuxfs4`. */
  stack: string;
  /** The base image reference, e.g. `restager/cflinuxfs4:latest`. */
  stackImage: string;
  dropletMd5Hex: string;
  dropletSha256Hex: string;
  /** OCI `source` / `revision`, when known. */
  source?: string | undefined;
  revision?: string | undefined;
}

/** The start command the image runs by default: `process_types.web`, else "". */
export function startCommandOf(facts: StagingFacts): string {
  return facts.processTypes.web ?? "";
}

/** Reads a staging result (the parsed result.json); undefined when it is not one. */
export function factsFromResult(result: unknown): StagingFacts | undefined {
  if (!isRecord(result)) return undefined;
  const processTypes = stringRecord(result.process_types);
  const lifecycle = isRecord(result.lifecycle_metadata) ? result.lifecycle_metadata : {};
  const listed = Array.isArray(lifecycle.buildpacks) ? lifecycle.buildpacks : [];
  const buildpacks = listed.filter(isRecord).map((bp) => ({
    name: text(bp.name),
    version: text(bp.version),
    key: text(bp.key),
  }));
  if (buildpacks.length === 0 && typeof lifecycle.detected_buildpack === "string") {
    const key = text(lifecycle.buildpack_key);
    buildpacks.push({ name: lifecycle.detected_buildpack, version: "", key });
  }
  return { processTypes, buildpacks };
}

/**
 * Reads `staging_info.yml` (JSON since 2018, YAML before; JSON is YAML): `start_command`
 * becomes the web process, `detected_buildpack` the only buildpack known.
 */
export async function factsFromStagingInfo(textContent: string): Promise<StagingFacts> {
  // The YAML parser loads here, once an image is built, not at every start of the commands
  // that may build one (~20 ms).
  const { parse } = await import("yaml");
  let info: unknown;
  try {
    info = parse(textContent);
  } catch {
    info = undefined;
  }
  const record = isRecord(info) ? info : {};
  const start = text(record.start_command);
  const detected = text(record.detected_buildpack);
  return {
    processTypes: start === "" ? {} : { web: start },
    buildpacks: detected === "" ? [] : [{ name: detected, version: "", key: "" }],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const key of Object.keys(value).sort()) {
    const entry = value[key];
    if (typeof entry === "string") out[key] = entry;
  }
  return out;
}
