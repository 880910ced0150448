/**
 * Every temporary file of a restage lives in one directory named after its owner
 * (`restager-run_<machine>_<pid>_<start>_XXXXXX`, src/owner/run-owner.ts), so a later run can
 * tell a directory whose restager died (remove it) from one a live restager still uses.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CannotWriteError } from "../../errors.js";
import { currentOwner, type RunOwner } from "../../owner/run-owner.js";

const prefix = "restager-run_";

export interface RunTempDir {
  path: string;
  /** Removes the directory and gives TMPDIR back. */
  release(): Promise<void>;
}

/**
 * Creates this run's directory and points TMPDIR at it for the run (os.tmpdir() reads TMPDIR
 * on every call, so the downloader's and the uploader's temp files land inside).
 */
export async function enterRunTempDir(env: NodeJS.ProcessEnv = process.env): Promise<RunTempDir> {
  const parent = tmpdir();
  const owner = currentOwner();
  const name = `${prefix}${owner.machine}_${owner.pid}_${owner.start}_`;
  const path = await mkdtemp(join(parent, name)).catch((error: unknown) => {
    throw new CannotWriteError(`Cannot create a temporary directory in ${parent}`, {
      hint: "Check free disk space and permissions, or set TMPDIR to a writable directory",
      cause: error,
    });
  });
  const before = env["TMPDIR"];
  env["TMPDIR"] = path;
  return {
    path,
    async release() {
      if (before === undefined) delete env["TMPDIR"];
      else env["TMPDIR"] = before;
      await rm(path, { recursive: true, force: true });
    },
  };
}

/** The run directories in `parent`, with their owners. */
export async function listRunTempDirs(
  parent = tmpdir(),
): Promise<{ path: string; owner: RunOwner }[]> {
  const names = await readdir(parent).catch(() => []);
  return names.flatMap((name) => {
    const owner = ownerOfTempDirName(name);
    return owner ? [{ path: join(parent, name), owner }] : [];
  });
}

export function ownerOfTempDirName(name: string): RunOwner | undefined {
  const match = /^restager-run_([A-Za-z0-9.-]+)_(\d+)_(\d+)_/.exec(name);
  if (!match) return undefined;
  return { machine: match[1] ?? "", pid: Number(match[2]), start: Number(match[3]) };
}
