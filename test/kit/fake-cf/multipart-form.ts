/**
 * Reads a multipart/form-data body: file parts are streamed to temp files while hashed
 * (a 500 MB droplet never sits in memory), small fields are kept as strings.
 */
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { once } from "node:events";
import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { Digester, type DigestOptions, type Digests } from "./digests.js";
import { MultipartError, MultipartTokenizer, type MultipartEvent } from "./multipart-tokenizer.js";

const MAX_FIELD_BYTES = 64 * 1024;
const FILE_BUFFER_BYTES = 4 * 1024 * 1024;

export interface FormFile {
  field: string;
  filename: string;
  /** A temp file the caller owns (move or delete it). */
  filePath: string;
  /** Size and the hashes asked for ("" for one left out). */
  digests: Digests;
}

/** Where file parts are spooled, and which hashes are computed over each (both by default). */
export interface FileParts {
  tempDir: string;
  digests?: DigestOptions;
}

export interface Form {
  fields: Record<string, string>;
  files: FormFile[];
}

export async function readMultipartForm(
  body: Readable,
  boundary: string,
  files: FileParts,
): Promise<Form> {
  const tokenizer = new MultipartTokenizer(boundary);
  const state: ReadState = { form: { fields: {}, files: [] }, files, part: undefined };
  try {
    for await (const chunk of body) {
      for (const event of tokenizer.push(chunk as Buffer)) await apply(event, state);
    }
    tokenizer.end();
    return state.form;
  } catch (error) {
    await state.part?.abort();
    await Promise.all(state.form.files.map((file) => rm(file.filePath, { force: true })));
    throw error;
  }
}

interface ReadState {
  form: Form;
  files: FileParts;
  /** The part being read, if any. */
  part: PartSink | undefined;
}

async function apply(event: MultipartEvent, state: ReadState): Promise<void> {
  switch (event.type) {
    case "part":
      state.part = openPart(event.headers, state.files);
      return;
    case "data":
      await state.part?.write(event.chunk);
      return;
    case "partEnd":
      await state.part?.close(state.form);
      state.part = undefined;
      return;
    case "end":
      return;
  }
}

interface PartSink {
  write(chunk: Buffer): Promise<void>;
  close(form: Form): Promise<void>;
  abort(): Promise<void>;
}

function openPart(headers: Record<string, string>, files: FileParts): PartSink {
  const disposition = headers["content-disposition"] ?? "";
  const field = parameter(disposition, "name");
  if (field === undefined) throw new MultipartError("part without a Content-Disposition name");
  const filename = parameter(disposition, "filename");
  return filename === undefined ? fieldSink(field) : fileSink({ field, filename }, files);
}

function fieldSink(field: string): PartSink {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    write: (chunk) => {
      size += chunk.length;
      if (size > MAX_FIELD_BYTES)
        return Promise.reject(new MultipartError(`field ${field} too large`));
      chunks.push(chunk);
      return Promise.resolve();
    },
    close: (form) => {
      form.fields[field] = Buffer.concat(chunks).toString("utf8");
      return Promise.resolve();
    },
    abort: () => Promise.resolve(),
  };
}

/**
 * Hashes each chunk as it is written. The file stream buffers up
 * to a few MiB, so chunks arriving during one write go out together in the next (writev),
 * instead of every 64 KB socket chunk waiting for its own write.
 */
function fileSink(part: { field: string; filename: string }, files: FileParts): PartSink {
  const { field, filename } = part;
  const filePath = join(files.tempDir, `part-${randomUUID()}`);
  const digester = new Digester(files.digests);
  const file = createWriteStream(filePath, { highWaterMark: FILE_BUFFER_BYTES });
  const written = finished(file);
  written.catch(() => undefined);
  return {
    write: async (chunk) => {
      digester.update(chunk);
      if (file.errored !== null) throw file.errored;
      if (!file.write(chunk)) await once(file, "drain");
    },
    close: async (form) => {
      file.end();
      await written;
      form.files.push({ field, filename, filePath, digests: digester.digests() });
    },
    abort: async () => {
      file.destroy();
      await written.catch(() => undefined);
      await rm(filePath, { force: true });
    },
  };
}

function parameter(disposition: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}=(?:"([^"]*)"|([^;\\s]*))`, "i").exec(disposition);
  return match === null ? undefined : (match[1] ?? match[2]);
}
