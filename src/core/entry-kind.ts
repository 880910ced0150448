import { UnsafeArchiveError } from "../archive/archive-errors.js";
import type { SafeEntryType } from "./entry-safety.js";

/** Tar entry types restager carries over, folded to the kinds EntrySafety checks. */
const kinds: Partial<Record<string, SafeEntryType>> = {
  File: "File",
  OldFile: "File",
  ContiguousFile: "File",
  Directory: "Directory",
  GNUDumpDir: "Directory",
  SymbolicLink: "SymbolicLink",
  Link: "Link",
  FIFO: "FIFO",
  CharacterDevice: "Device",
  BlockDevice: "Device",
};

/** The kind of a tar entry of type `type`; any other type (e.g. extended headers) is refused. */
export function entryKind(type: string, path: string): SafeEntryType {
  const kind = kinds[type];
  if (kind === undefined) {
    throw new UnsafeArchiveError(path, `entries of type ${type} are not supported`);
  }
  return kind;
}
