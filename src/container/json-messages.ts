/**
 * The engine's progress streams (`POST /images/load`, `/images/{name}/push`, `/images/create`)
 * are JSON messages, one per line. Each yields here as it arrives; a message carrying `error`
 * ends the stream with EngineStreamError, since the HTTP status was 200 long before.
 */
import type { Readable } from "node:stream";

export interface JsonMessage {
  status?: string;
  stream?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: Record<string, unknown>;
  error?: string;
  errorDetail?: { message?: string };
}

/** The engine reported a failure inside a stream that had started with 200 OK. */
export class EngineStreamError extends Error {}

export async function* jsonMessages(stream: Readable): AsyncGenerator<JsonMessage> {
  let pending = "";
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    pending += typeof chunk === "string" ? chunk : chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) yield* parseLine(line);
  }
  yield* parseLine(pending);
}

function* parseLine(line: string): Generator<JsonMessage> {
  const text = line.trim();
  if (text === "") return;
  let message: JsonMessage;
  try {
    message = JSON.parse(text) as JsonMessage;
  } catch {
    // Not JSON: old engines print plain text for some answers; keep it as a stream line.
    message = { stream: text };
  }
  const failure = message.errorDetail?.message ?? message.error;
  if (failure !== undefined && failure !== "") throw new EngineStreamError(failure.trim());
  yield message;
}
