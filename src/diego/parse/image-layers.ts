import type { DownloadAction } from "../actions.js";
import type { CachedDependency, ImageLayer } from "../common.js";
import { JsonReader } from "./json-reader.js";
import type { ParseContext } from "./parse-context.js";
import type { Checksum } from "../../core/checksums.js";

type Digest = NonNullable<ImageLayer["digest"]>;

/** Enum names by their protobuf numbers; custom MarshalJSON emits the names, older tools the numbers. */
const layerTypes = [undefined, "SHARED", "EXCLUSIVE"] as const;
const mediaTypes = [undefined, "TGZ", "TAR", "ZIP"] as const;
const digestAlgorithms = [undefined, "SHA256", "SHA512"] as const;

/** Reads `image_layers` (diego-reference.md §2.5), validating them as BBS does. */
export function readImageLayers(parent: JsonReader, ctx: ParseContext): ImageLayer[] {
  const layers: ImageLayer[] = [];
  for (const element of parent.array("image_layers") ?? []) {
    ctx.eraHints.add("cc");
    const entry = JsonReader.of(element.value, element.path, ctx.log);
    if (!entry) continue;
    const layer = readLayer(entry);
    entry.finish();
    if (layer) layers.push(layer);
  }
  return layers;
}

function readLayer(entry: JsonReader): ImageLayer | undefined {
  const name = entry.string("name") ?? "";
  const url = entry.requiredString("url");
  const destinationPath = entry.requiredString("destination_path");
  const layerType = readEnum(entry, "layer_type", layerTypes, true);
  const mediaType = readEnum(entry, "media_type", mediaTypes, true);
  const digest = readDigest(entry, layerType === "EXCLUSIVE");
  if (!layerType || !mediaType) return undefined;
  return { name, url, destinationPath, layerType, mediaType, digest };
}

function readDigest(entry: JsonReader, required: boolean): Digest | undefined {
  const algorithm = readEnum(entry, "digest_algorithm", digestAlgorithms, false);
  const value = entry.string("digest_value") ?? "";
  if (algorithm && value) {
    if (algorithm === "SHA512") {
      entry.log.warn(
        entry.pathOf("digest_algorithm"),
        "Diego's downloader verifies md5, sha1 and sha256 only; this layer is downloaded unverified",
      );
    }
    return { algorithm: algorithm === "SHA256" ? "sha256" : "sha512", value: value.toLowerCase() };
  }
  const algorithmGiven = entry.raw("digest_algorithm") !== undefined;
  if (algorithmGiven && !algorithm) return undefined; // an invalid algorithm was already reported
  if (algorithm || value) {
    const missing = algorithm ? "digest_value" : "digest_algorithm";
    entry.log.error(
      entry.pathOf(missing),
      "missing (digest_algorithm and digest_value go together)",
    );
  } else if (required) {
    entry.log.error(entry.pathOf("digest_algorithm"), "missing (EXCLUSIVE layers need a digest)");
  }
  return undefined;
}

function readEnum<T extends string>(
  entry: JsonReader,
  key: string,
  names: readonly (T | undefined)[],
  required: boolean,
): T | undefined {
  const raw = entry.raw(key);
  const valid = names.filter((name) => name !== undefined).join(", ");
  if (raw === undefined || raw === "") {
    if (required) entry.log.error(entry.pathOf(key), `missing (one of ${valid})`);
    return undefined;
  }
  const found =
    typeof raw === "number"
      ? names[raw]
      : names.find((name) => typeof raw === "string" && name === raw.toUpperCase());
  if (found === undefined)
    entry.log.error(
      entry.pathOf(key),
      `invalid value ${JSON.stringify(raw)}; expected one of ${valid}`,
    );
  return found;
}

/** `<alg>:<digest>`, the cache key BBS derives for a layer (the URL when there is no digest). */
function layerCacheKey(layer: ImageLayer): string {
  return layer.digest ? `${layer.digest.algorithm}:${layer.digest.value}` : layer.url;
}

/** Diego's downloader verifies md5/sha1/sha256 only; a sha512 layer is fetched unverified. */
function layerChecksum(layer: ImageLayer): Checksum | undefined {
  return layer.digest?.algorithm === "sha256"
    ? { algorithm: "sha256", value: layer.digest.value }
    : undefined;
}

/**
 * The V3→V2 down-conversion BBS and the rep apply: SHARED layers become cached dependencies
 * (to be prepended to the recorded ones), EXCLUSIVE layers become download actions that run,
 * in parallel, before the task action or the LRP setup.
 */
export function convertImageLayers(
  layers: readonly ImageLayer[],
  legacyDownloadUser: string,
): { shared: CachedDependency[]; exclusive: DownloadAction[] } {
  const shared: CachedDependency[] = [];
  const exclusive: DownloadAction[] = [];
  for (const layer of layers) {
    const base = { from: layer.url, to: layer.destinationPath, cacheKey: layerCacheKey(layer) };
    const checksum = layerChecksum(layer);
    if (layer.layerType === "SHARED") {
      shared.push({ name: layer.name, ...base, logSource: "", checksum });
    } else {
      exclusive.push({
        kind: "download",
        artifact: layer.name,
        ...base,
        user: legacyDownloadUser,
        checksum,
      });
    }
  }
  return { shared, exclusive };
}
