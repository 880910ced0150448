import { readFile } from "node:fs/promises";
import type { Archives } from "../archive/ports.js";
import type { Container } from "../container/container.js";

/** Diego's cap on a task result (rep ≥ 2021): larger results fail with "failed to fetch result". */
export const resultSizeLimitBytes = 50 * 1024;

export interface TaskResult {
  text: string;
  /** The parsed JSON, or undefined when the file is not JSON. */
  json: unknown;
}

/** Reads `result_file` out of the container (first tar entry), as the cell does after success. */
export async function readResultFile(
  container: Container,
  archives: Archives,
  path: string,
  signal: AbortSignal,
): Promise<TaskResult> {
  const tar = await container.getArchive(path, { signal });
  const spooled = await archives.spoolFirstEntry(tar, { signal }).finally(() => tar.destroy());
  try {
    if (spooled.sizeBytes > resultSizeLimitBytes) {
      throw new Error(`failed to fetch result: ${spooled.sizeBytes} bytes is over the limit`);
    }
    const text = await readFile(spooled.path, "utf8");
    return { text, json: parseJson(text) };
  } finally {
    await spooled.release();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
