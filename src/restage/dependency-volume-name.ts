/**
 * Names and labels of the volumes that hold expanded cached dependencies. A volume is named
 * after the dependency's cache key and the SHA-256 of the body it was filled from, so a body
 * that changes gets a new volume and a volume's content never needs revalidating.
 *
 * A volume counts as complete only once its marker volume (`<name>-complete`) exists and
 * carries the same fill token: the marker is created after the fill succeeded, and adds
 * nothing inside the mounted content (the builder counts the entries of a buildpack dir).
 */
import { createHash } from "node:crypto";
import { LabelKey } from "../core/labels.js";
import { currentOwner, formatOwner } from "../owner/run-owner.js";

export const DependencyLabel = {
  managed: LabelKey.managed,
  kind: LabelKey.kind,
  /** The dependency's cache key, for people listing volumes (truncated, printable). */
  cacheKey: "io.restager.cache-key",
  /** Unique per filling restager: tells the creator of a volume, and completes it with its marker. */
  fillToken: "io.restager.fill-token",
  /** On a marker: the volume it completes. */
  completes: "io.restager.completes",
  /** On a volume being filled: the restager filling it, so others know whether it still lives. */
  owner: LabelKey.owner,
} as const;

/** Every dependency volume and marker carries `io.restager.kind=dependency`. */
export const dependencyKind = "dependency";

const maxLabelChars = 128;

export function dependencyVolumeName(cacheKey: string, bodySha256Hex: string): string {
  const digest = createHash("sha256").update(`${cacheKey}\n${bodySha256Hex}`).digest("hex");
  return `restager-dep-${digest.slice(0, 24)}`;
}

export function markerVolumeName(volume: string): string {
  return `${volume}-complete`;
}

export function dependencyVolumeLabels(cacheKey: string, token: string): Record<string, string> {
  return {
    [DependencyLabel.managed]: "true",
    [DependencyLabel.kind]: dependencyKind,
    [DependencyLabel.cacheKey]: labelValue(cacheKey),
    [DependencyLabel.fillToken]: token,
    [DependencyLabel.owner]: formatOwner(currentOwner()),
  };
}

export function markerVolumeLabels(volume: string, token: string): Record<string, string> {
  return {
    [DependencyLabel.managed]: "true",
    [DependencyLabel.kind]: dependencyKind,
    [DependencyLabel.completes]: volume,
    [DependencyLabel.fillToken]: token,
  };
}

/** Printable, single-line, at most 128 characters (cut ones end with `...`). */
export function labelValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  const printable = value.replace(/[\u0000-\u001f\u007f]/g, "?");
  if (printable.length <= maxLabelChars) return printable;
  return `${printable.slice(0, maxLabelChars - 3)}...`;
}
