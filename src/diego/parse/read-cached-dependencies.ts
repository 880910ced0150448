import type { CachedDependency } from "../common.js";
import { JsonReader } from "./json-reader.js";
import type { ParseContext } from "./parse-context.js";
import { readChecksum } from "./read-checksum.js";

/**
 * Reads `cached_dependencies` (docs/diego.md §2.3, §3.11): archives the cell downloads and
 * mounts read-only before the container starts. `from` and `to` are required. Declarative-mode
 * Cloud Controller requests send `null` here and use image layers instead.
 */
export function readCachedDependencies(parent: JsonReader, ctx: ParseContext): CachedDependency[] {
  const dependencies: CachedDependency[] = [];
  for (const element of parent.array("cached_dependencies") ?? []) {
    const entry = JsonReader.of(element.value, element.path, ctx.log);
    if (!entry) continue;
    dependencies.push({
      name: entry.string("name") ?? "",
      from: entry.requiredString("from"),
      to: entry.requiredString("to"),
      cacheKey: entry.string("cache_key") ?? "",
      logSource: entry.string("log_source") ?? "",
      checksum: readChecksum(entry, ctx),
    });
    entry.finish();
  }
  return dependencies;
}
