/** Reads tar streams in tests with the tar package, independently of the code under test. */
import { Readable } from "node:stream";
import { Parser, type ReadEntry } from "tar";

export interface SeenTarEntry {
  path: string;
  /** The tar package's type name: `File`, `Directory`, `SymbolicLink`, … */
  type: string;
  mode: number | undefined;
  uid: number | undefined;
  gid: number | undefined;
  uname: string | undefined;
  linkpath: string | undefined;
  body: Buffer;
}

/** Every entry of a tar stream (strict: a non-tar input, or the stream's error, rejects). */
export async function readTarEntries(input: Readable | Buffer): Promise<SeenTarEntry[]> {
  const stream = Buffer.isBuffer(input) ? Readable.from([input]) : input;
  const seen: SeenTarEntry[] = [];
  const parser = new Parser({ strict: true });
  parser.on("entry", (entry: ReadEntry) => {
    const chunks: Buffer[] = [];
    entry.on("data", (chunk: Buffer) => chunks.push(chunk));
    entry.on("end", () => {
      const { path, type, mode, uid, gid, uname, linkpath } = entry;
      seen.push({ path, type, mode, uid, gid, uname, linkpath, body: Buffer.concat(chunks) });
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    parser.on("end", () => resolve());
    parser.on("error", reject);
    parser.on("warn", (_code: string, message: string | Error) =>
      reject(message instanceof Error ? message : new Error(message)),
    );
    stream.on("error", reject);
  });
  stream.pipe(parser);
  await done;
  return seen;
}
