import { describe, expect, it } from "vitest";
import { UnsafeArchiveError } from "../../../src/archive/archive-errors.js";
import { EntrySafety, type SafeEntryType } from "../../../src/archive/entry-safety.js";

type Case = [name: string, type: SafeEntryType, linkpath: string | undefined, reason: string];

describe("EntrySafety", () => {
  it.each<Case>([
    ["../evil", "File", undefined, "its path climbs out of the extraction directory"],
    ["a/../../evil", "File", undefined, "its path climbs out of the extraction directory"],
    ["./../x", "Directory", undefined, "its path climbs out of the extraction directory"],
    ["/etc/cron.d/x", "File", undefined, "its path is absolute"],
    ["C:\\windows\\x", "File", undefined, "its path is absolute"],
    ["passwd", "SymbolicLink", "/etc/passwd", "its link target is absolute"],
    ["sub/up", "SymbolicLink", "../../etc", "its target '../../etc' climbs out"],
    ["dangling", "SymbolicLink", "", "the link has no target"],
    ["hard", "Link", "../outside", "its link target climbs out"],
    ["hard", "Link", "/etc/shadow", "its link target is absolute"],
    ["dev/null", "Device", undefined, "device files are not allowed"],
  ])("refuses %j (%s → %s)", (name, type, linkpath, reason) => {
    const check = (): void => new EntrySafety().check(name, type, linkpath);
    expect(check).toThrow(UnsafeArchiveError);
    expect(check).toThrow(`Refusing archive entry '${name}': ${reason}`);
  });

  it("accepts ordinary entries and links that stay inside", () => {
    const safety = new EntrySafety();
    safety.check("./", "Directory");
    safety.check("./app/lib/a.so", "File");
    safety.check("./app/bin/l", "SymbolicLink", "../lib/a.so");
    safety.check("./app/self", "SymbolicLink", ".");
    safety.check("app/h", "Link", "app/lib/a.so");
    safety.check("a/b/../c", "File");
    safety.check("fifo", "FIFO");
  });

  it("refuses entries beneath an earlier symlink, even a harmless-looking one", () => {
    const safety = new EntrySafety();
    safety.check("dir", "SymbolicLink", ".");
    expect(() => safety.check("dir/x", "File")).toThrow("it lies beneath the symlink 'dir'");
    expect(() => safety.check("./dir/sub/y", "File")).toThrow("beneath the symlink 'dir'");
    expect(() => safety.check("h", "Link", "dir/x")).toThrow("beneath the symlink 'dir'");
  });

  it("forgets a symlink that a later entry replaces", () => {
    const safety = new EntrySafety();
    safety.check("dir", "SymbolicLink", "elsewhere");
    safety.check("dir/", "Directory");
    expect(() => safety.check("dir/x", "File")).not.toThrow();
  });
});
