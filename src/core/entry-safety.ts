/**
 * Refuses archive entries that would write outside the extraction root: absolute names, names
 * that climb out with `..`, symlinks or hard links whose target leaves the root, and entries
 * placed beneath an earlier symlink (writing through it could land anywhere). Device files are
 * refused too: an app archive has no business creating them.
 */
import { posix } from "node:path";
import { UnsafeArchiveError } from "../archive/archive-errors.js";

export type SafeEntryType = "File" | "Directory" | "SymbolicLink" | "Link" | "FIFO" | "Device";

export class EntrySafety {
  readonly #symlinks = new Set<string>();

  /** Throws UnsafeArchiveError when the entry is refused; remembers symlinks for later entries. */
  check(name: string, type: SafeEntryType, linkpath?: string): void {
    const path = relativePath(name, name);
    if (type === "Device") throw new UnsafeArchiveError(name, "device files are not allowed");
    this.#checkAncestors(name, path);
    if (type === "SymbolicLink") {
      const target = relativeLinkTarget(name, linkpath);
      relativePath(posix.join(posix.dirname(path), target), name, `its target '${target}'`);
      this.#symlinks.add(path);
    } else {
      this.#symlinks.delete(path);
    }
    if (type === "Link") {
      const target = relativePath(relativeLinkTarget(name, linkpath), name, "its link target");
      this.#checkAncestors(name, target);
    }
  }

  #checkAncestors(name: string, path: string): void {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const ancestor = parts.slice(0, i).join("/");
      if (this.#symlinks.has(ancestor)) {
        throw new UnsafeArchiveError(name, `it lies beneath the symlink '${ancestor}'`);
      }
    }
  }
}

/** Normalised relative form of `path`; throws when it is absolute or climbs out of the root. */
function relativePath(path: string, name: string, what = "its path"): string {
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path)) {
    throw new UnsafeArchiveError(name, `${what} is absolute`);
  }
  const normal = posix.normalize(path.replace(/\/+$/, "") || ".");
  if (normal === ".." || normal.startsWith("../")) {
    throw new UnsafeArchiveError(name, `${what} climbs out of the extraction directory`);
  }
  return normal === "." ? "" : normal;
}

function relativeLinkTarget(name: string, linkpath: string | undefined): string {
  if (linkpath === undefined || linkpath === "") {
    throw new UnsafeArchiveError(name, "the link has no target");
  }
  if (linkpath.startsWith("/")) throw new UnsafeArchiveError(name, "its link target is absolute");
  return linkpath;
}
