import { readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { Archives } from "../archive/ports.js";
import type { Container } from "../container/container.js";

/** The rep's cap on a task result: a larger result file cannot be fetched. */
export const resultSizeLimitBytes = 50 * 1024;

/** The failure reason the rep gives a task that succeeded but whose result it cannot fetch. */
export const failedToFetchResult = "failed to fetch result";

export interface TaskResult {
  text: string;
  /** The parsed JSON, or undefined when the file is not JSON. */
  json: unknown;
}

/**
 * Reads `result_file` out of the container as root (first tar entry), as the rep does once the
 * task's action ended, failed or not. Rejects when the file is missing or over the size cap.
 */
export async function readResultFile(
  container: Container,
  path: string,
  using: { archives: Archives; signal: AbortSignal },
): Promise<TaskResult> {
  const { archives, signal } = using;
  // Straight from the container's root where the engine runs here: no engine request.
  const direct = await container.openFile(path);
  if (direct) {
    if (direct.sizeBytes > resultSizeLimitBytes) {
      direct.stream.destroy();
      throw new Error(`result file is too large (over ${resultSizeLimitBytes} bytes)`);
    }
    const text = await readAll(direct.stream);
    return { text, json: parseJson(text) };
  }
  const tar = await container.getArchive(path, { signal });
  const spooled = await archives.spoolFirstEntry(tar, { signal }).finally(() => tar.destroy());
  try {
    if (spooled.sizeBytes > resultSizeLimitBytes) {
      throw new Error(`result file is too large (over ${resultSizeLimitBytes} bytes)`);
    }
    const text = await readFile(spooled.path, "utf8");
    return { text, json: parseJson(text) };
  } finally {
    await spooled.release();
  }
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface ResultFileRead {
  /** The task's outcome, turned into a failure when a succeeded task's result is unreadable. */
  failed: boolean;
  failureReason: string;
  result?: TaskResult | undefined;
  /** Why the result file could not be read. */
  readError?: unknown;
}

/**
 * The rep's completion (rep generator/internal/task_processor.go): with a `result_file`, read
 * it whether the action succeeded or not. When it cannot be read, a succeeded task fails with
 * `failed to fetch result` and an empty result; a failed task keeps its own reason. Without a
 * `result_file` nothing is read.
 */
export async function completeWithResult(
  outcome: { failed: boolean; failureReason: string },
  read: () => Promise<TaskResult>,
  path: string,
): Promise<ResultFileRead> {
  if (path === "") return { ...outcome };
  try {
    return { ...outcome, result: await read() };
  } catch (readError) {
    if (outcome.failed) return { ...outcome, readError };
    return { failed: true, failureReason: failedToFetchResult, readError };
  }
}
