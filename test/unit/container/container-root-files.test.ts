import { closeSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  containerPid,
  hasExecutableInContainerRoot,
  isDirInContainerRoot,
  openInContainerRoot,
  readInContainerRoot,
  touchInContainerRoot,
} from "../../../src/container/container-root-files.js";

// This process stands in for the container: its root is /proc/<pid>/root, i.e. this host's /.
const pid = process.pid;
let dir = "";

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-root-files-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a file created through a container's root", () => {
  it("is empty and owned like the file named", async () => {
    const owner = join(dir, "started");
    await writeFile(owner, "1700000000\n");
    const ok = touchInContainerRoot(pid, { path: join(dir, "live"), ownerOf: owner });
    expect(ok).toBe(true);
    const [made, like] = await Promise.all([stat(join(dir, "live")), stat(owner)]);
    expect([made.size, made.uid, made.gid]).toEqual([0, like.uid, like.gid]);
  });

  it("follows no symbolic link the container planted, on the way or at the end", async () => {
    const outside = join(dir, "outside");
    await mkdir(join(dir, "real"));
    await mkdir(outside);
    await writeFile(join(dir, "real", "started"), "1\n");
    await writeFile(join(outside, "started"), "1\n");
    // The directory itself is a link out of the container.
    await symlink(outside, join(dir, "linked"));
    const viaLink = { path: join(dir, "linked", "live"), ownerOf: join(dir, "linked", "started") };
    expect(touchInContainerRoot(pid, viaLink)).toBe(false);
    // The file's place is a link to a file outside.
    await symlink(join(outside, "started"), join(dir, "real", "live"));
    const atLink = { path: join(dir, "real", "live"), ownerOf: join(dir, "real", "started") };
    expect(touchInContainerRoot(pid, atLink)).toBe(false);
    expect((await stat(join(outside, "started"))).size).toBe(2);
  });

  it("says no when the file to copy the owner from is missing or not a regular file", async () => {
    expect(touchInContainerRoot(pid, { path: join(dir, "live"), ownerOf: join(dir, "gone") })).toBe(
      false,
    );
    await mkdir(join(dir, "started"));
    expect(
      touchInContainerRoot(pid, { path: join(dir, "live"), ownerOf: join(dir, "started") }),
    ).toBe(false);
  });
});

describe("a file read through a container's root", () => {
  it("is opened with its size when it is a regular file reached without links", async () => {
    await writeFile(join(dir, "result.json"), '{"ok":true}');
    const opened = openInContainerRoot(pid, join(dir, "result.json"));
    expect(opened?.sizeBytes).toBe(11);
    if (opened) closeSync(opened.fd);
    await symlink(join(dir, "result.json"), join(dir, "link.json"));
    expect(openInContainerRoot(pid, join(dir, "link.json"))).toBeUndefined();
    expect(openInContainerRoot(pid, dir)).toBeUndefined();
    expect(openInContainerRoot(pid, join(dir, "missing"))).toBeUndefined();
  });

  it("is only the container's when this host's process of that number is in its cgroup", () => {
    // This process is in no container: no id matches its cgroup path.
    expect(containerPid(pid, "f".repeat(64))).toBeUndefined();
    expect(containerPid(-1, "f".repeat(64))).toBeUndefined();
  });
});

describe("questions answered through a container's root", () => {
  it("reads a regular file reached without links, and nothing else", async () => {
    await writeFile(join(dir, "passwd"), "vcap:x:2000:2000::/home/vcap:/bin/bash\n");
    await symlink(join(dir, "passwd"), join(dir, "linked"));
    expect(readInContainerRoot(pid, join(dir, "passwd"))?.toString()).toMatch(/^vcap:/);
    expect(readInContainerRoot(pid, join(dir, "linked"))).toBeUndefined();
    expect(readInContainerRoot(pid, join(dir, "missing"))).toBeUndefined();
  });

  it("says yes to a directory reached without links, and leaves anything else to the container", async () => {
    await mkdir(join(dir, "home", "vcap"), { recursive: true });
    await symlink(join(dir, "home"), join(dir, "via"));
    await writeFile(join(dir, "file"), "");
    expect(isDirInContainerRoot(pid, join(dir, "home", "vcap"))).toBe(true);
    expect(isDirInContainerRoot(pid, join(dir, "via", "vcap"))).toBeUndefined();
    expect(isDirInContainerRoot(pid, join(dir, "via"))).toBeUndefined();
    expect(isDirInContainerRoot(pid, join(dir, "file"))).toBeUndefined();
    expect(isDirInContainerRoot(pid, join(dir, "missing"))).toBeUndefined();
  });

  it("finds an executable regular file in a PATH only without links", async () => {
    const [bin, plain, linkedDir] = ["bin", "plain", "linked-bin"].map((name) => join(dir, name));
    await Promise.all([mkdir(bin!), mkdir(plain!)]);
    await writeFile(join(bin!, "setpriv"), "#!/bin/sh\n");
    await chmod(join(bin!, "setpriv"), 0o755);
    await writeFile(join(plain!, "setpriv"), "not executable\n");
    await symlink(bin!, linkedDir!);
    await symlink(join(bin!, "setpriv"), join(plain!, "linked-setpriv"));
    expect(hasExecutableInContainerRoot(pid, "setpriv", [plain!, bin!])).toBe(true);
    expect(hasExecutableInContainerRoot(pid, "setpriv", [plain!])).toBeUndefined();
    expect(hasExecutableInContainerRoot(pid, "setpriv", [linkedDir!])).toBeUndefined();
    expect(hasExecutableInContainerRoot(pid, "linked-setpriv", [plain!])).toBeUndefined();
    expect(hasExecutableInContainerRoot(pid, "setpriv", ["bin", ""])).toBeUndefined();
  });
});
