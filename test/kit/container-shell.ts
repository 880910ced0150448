/** Helpers for docker-tier tests that look inside a container made by the product's runtime. */
import { Readable } from "node:stream";
import { Header } from "tar";
import type { Container } from "../../src/container/container.js";

export interface ShellResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `script` with `/bin/sh -c` in `target` as `user` (root unless told), collecting output. */
export async function shellIn(
  target: Container,
  script: string,
  user = "root",
): Promise<ShellResult> {
  const output = { stdout: "", stderr: "" };
  const process = await target.exec(
    { path: "/bin/sh", args: ["-c", script], env: [], user },
    {
      stdout: (chunk) => (output.stdout += chunk.toString("utf8")),
      stderr: (chunk) => (output.stderr += chunk.toString("utf8")),
    },
  );
  return { exitCode: await process.wait(), ...output };
}

export interface TarTestEntry {
  /** Directories end in `/` and have no content. */
  path: string;
  content?: string;
  /** 0755 for directories and 0644 for files unless told. */
  mode?: number;
  /** Root's unless told; `gid` defaults to `uid`. */
  uid?: number;
  gid?: number;
}

/** An uncompressed tar stream of `entries`, with the modes and numeric owners given. */
export function tarOf(entries: readonly TarTestEntry[]): Readable {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.content ?? "");
    const dir = entry.content === undefined;
    const block = Buffer.alloc(512);
    new Header({
      path: entry.path,
      type: dir ? "Directory" : "File",
      mode: entry.mode ?? (dir ? 0o755 : 0o644),
      uid: entry.uid ?? 0,
      gid: entry.gid ?? entry.uid ?? 0,
      size: body.length,
      mtime: new Date(0),
    }).encode(block, 0);
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Readable.from([Buffer.concat(blocks)]);
}
