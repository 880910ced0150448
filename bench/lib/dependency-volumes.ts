/**
 * restager keeps expanded cached dependencies in Docker volumes named after the cache key and
 * the body's SHA-256 (src/restage/dependency-volume-name.ts). A cold restage must find none of
 * them, and the benchmark must leave none behind: this finds the volumes of the bodies the
 * benchmark served — by name, and by the cache-key label for keys only the benchmark uses —
 * plus their `-complete` markers, and removes them.
 */
import {
  dependencyVolumeName,
  markerVolumeName,
} from "../../src/restage/dependency-volume-name.js";
import { runProcess } from "./run-process.js";

export interface ServedDependency {
  cacheKey: string;
  sha256: string;
  /** The key is the benchmark's own (random), so any volume labelled with it is ours. */
  ownKey: boolean;
}

const kindFilter = "label=io.restager.kind=dependency";
const format = '{{.Name}}\t{{.Label "io.restager.cache-key"}}\t{{.Label "io.restager.completes"}}';

/** Removes the volumes (and markers) of `served`; answers how many went. */
export async function removeDependencyVolumes(
  served: readonly ServedDependency[],
): Promise<number> {
  const names = new Set(served.map((one) => dependencyVolumeName(one.cacheKey, one.sha256)));
  const ownKeys = new Set(served.filter((one) => one.ownKey).map((one) => one.cacheKey));
  const listed = await runProcess("docker", [
    "volume",
    "ls",
    "--filter",
    kindFilter,
    "--format",
    format,
  ]);
  const rows = listed.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.split("\t"));
  for (const [name = "", cacheKey = ""] of rows) {
    if (ownKeys.has(cacheKey)) names.add(name);
  }
  const markers = new Set([...names].map(markerVolumeName));
  const doomed = rows
    .map(([name = "", , completes = ""]) => ({ name, completes }))
    .filter(({ name, completes }) => names.has(name) || markers.has(name) || names.has(completes))
    .map(({ name }) => name);
  if (doomed.length === 0) return 0;
  await runProcess("docker", ["volume", "rm", "-f", ...doomed]);
  return doomed.length;
}
