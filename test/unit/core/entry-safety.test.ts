import { describe, expect, it } from "vitest";
import { UnsafeArchiveError } from "../../../src/archive/archive-errors.js";
import { EntrySafety, type SafeEntryType } from "../../../src/core/entry-safety.js";

interface Case {
  name: string;
  type: SafeEntryType;
  linkpath: string | undefined;
  reason: string;
}

describe("EntrySafety", () => {
  it.each<Case>([
    {
      name: "../evil",
      type: "File",
      linkpath: undefined,
      reason: "its path climbs out of the extraction directory",
    },
    {
      name: "a/../../evil",
      type: "File",
      linkpath: undefined,
      reason: "its path climbs out of the extraction directory",
    },
    {
      name: "./../x",
      type: "Directory",
      linkpath: undefined,
      reason: "its path climbs out of the extraction directory",
    },
    { name: "/etc/cron.d/x", type: "File", linkpath: undefined, reason: "its path is absolute" },
    { name: "C:\\windows\\x", type: "File", linkpath: undefined, reason: "its path is absolute" },
    {
      name: "passwd",
      type: "SymbolicLink",
      linkpath: "/etc/passwd",
      reason: "its link target is absolute",
    },
    {
      name: "sub/up",
      type: "SymbolicLink",
      linkpath: "../../etc",
      reason: "its target '../../etc' climbs out",
    },
    { name: "dangling", type: "SymbolicLink", linkpath: "", reason: "the link has no target" },
    { name: "hard", type: "Link", linkpath: "../outside", reason: "its link target climbs out" },
    { name: "hard", type: "Link", linkpath: "/etc/shadow", reason: "its link target is absolute" },
    {
      name: "dev/null",
      type: "Device",
      linkpath: undefined,
      reason: "device files are not allowed",
    },
  ])("refuses $name ($type → $linkpath)", ({ name, type, linkpath, reason }) => {
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
