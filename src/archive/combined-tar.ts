/**
 * One tar made of several converted archives, each under its own prefix: lets a caller extract
 * many downloads with a single archive upload (Docker serialises uploads into a container, and
 * each costs a round trip).
 */
import { Readable } from "node:stream";
import { TarPartError, type Archives, type TarPart } from "./ports.js";
import { tarEnd } from "../core/tar-blocks.js";

/**
 * The parts' entries in order, then one end-of-archive marker. A failing part ends the stream
 * with a TarPartError as its 'error'. `archives` must honour ToTarOptions (TarArchives does).
 */
export function combinedTar(archives: Archives, parts: readonly TarPart[]): Readable {
  async function* blocks(): AsyncGenerator<Buffer> {
    for (const [index, part] of parts.entries()) {
      const options = { prefix: part.prefix, end: false };
      try {
        for await (const chunk of archives.toTar(part.filePath, part.owner, options)) {
          yield chunk as Buffer;
        }
      } catch (error) {
        throw new TarPartError(index, error);
      }
    }
    yield tarEnd;
  }
  return Readable.from(blocks(), { objectMode: false });
}
