/**
 * The archive `POST /images/load` reads (the docker-save layout): layer tars, the config, and
 * `manifest.json` naming them. The engine reads the whole archive before it parses it, so the
 * order is free: layers come first, which lets their diffIDs be computed on the way and the
 * config (which lists them) be written after them.
 */
import { tarEnd, tarPadding } from "../core/tar-blocks.js";
import type { TarCodec } from "../archive/ports.js";
import { InternalError } from "../errors.js";

export interface SaveEntry {
  path: string;
  sizeBytes: number;
  content: Buffer | AsyncIterable<Buffer>;
  /** Makes the entry a symbolic link (docker save links a layer that repeats). */
  linkpath?: string | undefined;
}

export interface SaveManifest {
  config: string;
  repoTags: string[];
  layers: string[];
}

/** The blocks of the archive holding `entries`, each checked against its stated size. */
export async function* saveArchive(
  entries: AsyncIterable<SaveEntry>,
  mtime: Date,
  tar: TarCodec,
): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    const link = entry.linkpath !== undefined;
    yield tar.encodeHeader({
      path: entry.path,
      type: link ? "SymbolicLink" : "File",
      mode: 0o644,
      size: link ? 0 : entry.sizeBytes,
      uid: 0,
      gid: 0,
      mtime,
      linkpath: entry.linkpath,
    });
    if (link) continue;
    let written = 0;
    const chunks = Buffer.isBuffer(entry.content) ? [entry.content] : entry.content;
    for await (const chunk of chunks) {
      written += chunk.length;
      yield chunk;
    }
    if (written !== entry.sizeBytes) {
      throw new InternalError(
        `${entry.path}: wrote ${written} bytes, announced ${entry.sizeBytes}`,
      );
    }
    yield tarPadding(written);
  }
  yield tarEnd;
}

/** `manifest.json` as the engine expects it (Go field names). */
export function manifestEntry(manifest: SaveManifest): SaveEntry {
  const content = Buffer.from(
    JSON.stringify([
      { Config: manifest.config, RepoTags: manifest.repoTags, Layers: manifest.layers },
    ]),
  );
  return { path: "manifest.json", sizeBytes: content.length, content };
}
