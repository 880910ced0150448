/**
 * How converted entries are named and ended: under a prefix (so that several archives can be
 * extracted side by side from one tar), and with or without the end-of-archive blocks (so that
 * converted archives can be concatenated).
 */
import { posix } from "node:path";
import { InternalError } from "../errors.js";

export interface EntryNaming {
  /** Relative, normalised directory every entry goes under; "" = none. */
  prefix: string;
  /** Whether the two end-of-archive blocks close the output. */
  end: boolean;
}

export const plainNaming: EntryNaming = { prefix: "", end: true };

/** The naming for a prefix given by a caller; a prefix that could escape the root is a bug. */
export function entryNaming(prefix: string | undefined, end: boolean | undefined): EntryNaming {
  const trimmed = (prefix ?? "").replace(/\/+$/, "");
  if (trimmed !== "" && (posix.isAbsolute(trimmed) || posix.normalize(trimmed) !== trimmed)) {
    throw new InternalError(`Invalid tar entry prefix '${prefix}': must be relative and normal`);
  }
  if (trimmed.split("/").includes("..")) {
    throw new InternalError(`Invalid tar entry prefix '${prefix}': must not contain '..'`);
  }
  return { prefix: trimmed, end: end ?? true };
}

/**
 * An entry's name (or a hard link's target, which tar resolves from the root too) under the
 * prefix. Symlink targets are left alone: they are resolved where the link lands.
 */
export function prefixedName(naming: EntryNaming, name: string): string {
  if (naming.prefix === "") return name;
  const joined = posix.join(naming.prefix, name);
  return name.endsWith("/") && !joined.endsWith("/") ? `${joined}/` : joined;
}
