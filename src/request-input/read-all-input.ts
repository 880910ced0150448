import { createReadStream } from "node:fs";
import { gunzipSync } from "node:zlib";
import { InvalidInputError, NoInputError } from "../errors.js";

/** Requests are at most a few hundred KB; anything past this is not one request. */
export const maxInputBytes = 64 * 1024 * 1024;

export interface InputSource {
  /** A file path; otherwise `stdin` is read. */
  file?: string | undefined;
  stdin?: (NodeJS.ReadableStream & { isTTY?: boolean }) | undefined;
}

export interface InputText {
  /** The file path as given, or "stdin". */
  name: string;
  text: string;
}

export const pipeHint =
  "Pipe a request in, e.g. 'build_req --log stager.stdout.log | restage', or name a file holding a task definition, cfdot output or lager lines";

/** Reads a whole input (gzip undone, BOM dropped), refusing more than `limit` bytes. */
export async function readAllInput(source: InputSource, limit = maxInputBytes): Promise<InputText> {
  const name = source.file ?? "stdin";
  let bytes: Buffer;
  if (source.file !== undefined) {
    bytes = await readCapped(createReadStream(source.file), { name, limit, source: "file" });
  } else if (source.stdin === undefined || source.stdin.isTTY === true) {
    throw new NoInputError("No request given: stdin is a terminal and no file was named", {
      hint: pipeHint,
    });
  } else {
    bytes = await readCapped(source.stdin, { name, limit, source: "stdin" });
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzip(bytes, name, limit);
  const text = bytes.toString("utf8");
  return { name, text: text.startsWith("\uFEFF") ? text.slice(1) : text };
}

async function readCapped(
  stream: NodeJS.ReadableStream,
  { name, limit, source }: { name: string; limit: number; source: "file" | "stdin" },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk);
      total += buffer.length;
      if (total > limit) throw tooLarge(name, limit);
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? "error"})`;
    const what = source === "file" ? `Input file ${name}` : name;
    throw new NoInputError(`${what} ${reason}`, { hint: pipeHint, cause: error });
  }
  return Buffer.concat(chunks);
}

function gunzip(bytes: Buffer, name: string, limit: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE")
      throw tooLarge(name, limit);
    throw new InvalidInputError(`${name} looks gzip-compressed but cannot be decompressed`, [], {
      hint: "Check that the file was copied completely",
      cause: error,
    });
  }
}

function tooLarge(name: string, limit: number): InvalidInputError {
  const size = limit >= 1024 * 1024 ? `${limit / 1024 / 1024} MiB` : `${limit} bytes`;
  return new InvalidInputError(`${name} is larger than ${size}; that is not one request`, [], {
    hint: "To search a big log, use 'build_req --log FILE' or 'launch_req --log FILE', which stream it",
  });
}
