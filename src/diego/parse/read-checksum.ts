import type { JsonReader } from "./json-reader.js";
import type { ParseContext } from "./parse-context.js";
import type { Checksum, ChecksumAlgorithm } from "../../core/checksums.js";

const hexLength: Record<ChecksumAlgorithm, number> = { md5: 32, sha1: 40, sha256: 64 };

function isChecksumAlgorithm(value: string): value is ChecksumAlgorithm {
  return Object.hasOwn(hexLength, value);
}

/**
 * Reads `checksum_algorithm` + `checksum_value` (download actions, cached dependencies). Both or
 * neither must be set; the algorithm is matched case-insensitively like BBS validation, then
 * lower-cased because the executor's hash selector is. Quotes around the value are stripped,
 * as the downloader does. A value of the wrong length is only a warning: Diego accepts the
 * request and fails the download, which a replay reproduces.
 */
export function readChecksum(reader: JsonReader, ctx: ParseContext): Checksum | undefined {
  const algorithm = reader.string("checksum_algorithm") ?? "";
  const rawValue = reader.string("checksum_value") ?? "";
  if (algorithm === "" && rawValue === "") return undefined;
  ctx.eraHints.add("cc");
  if (rawValue === "") {
    ctx.log.error(reader.pathOf("checksum_value"), "missing (checksum_algorithm is set)");
    return undefined;
  }
  if (algorithm === "") {
    ctx.log.error(reader.pathOf("checksum_algorithm"), "missing (checksum_value is set)");
    return undefined;
  }
  const lower = algorithm.toLowerCase();
  if (!isChecksumAlgorithm(lower)) {
    ctx.log.error(
      reader.pathOf("checksum_algorithm"),
      `unsupported algorithm "${algorithm}"; expected md5, sha1 or sha256`,
    );
    return undefined;
  }
  const value = rawValue.replace(/^"|"$/g, "").toLowerCase();
  if (!new RegExp(`^[0-9a-f]{${hexLength[lower]}}$`).test(value)) {
    ctx.log.warn(
      reader.pathOf("checksum_value"),
      `not a ${lower} digest (${hexLength[lower]} hex digits); the download will fail its checksum check`,
    );
  }
  return { algorithm: lower, value };
}
