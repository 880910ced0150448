/**
 * Writes the scraper benchmark's log: `sizeMb` of lager noise (bench/lib/scrape-noise.ts) with
 * `requests` staging-task-request lines (10–40 KB) scattered through it, timestamps rising line
 * by line. Streams in 1 MiB batches: nothing near the file's size is held in memory.
 */
import { open } from "node:fs/promises";
import { MB } from "./bench-blobs.js";
import { noisePool, timestampHead } from "./scrape-noise.js";
import { requestLine } from "./scrape-requests.js";

export interface ScrapeLogSpec {
  sizeMb: number;
  requests: number;
  /** App names; the last one stages only in the first half of the file (the `--app` target). */
  apps: readonly string[];
  signal?: AbortSignal | undefined;
}

export interface WrittenRequest {
  appName: string;
  stagingGuid: string;
  /** 1-based line number. */
  lineNo: number;
  bytes: number;
}

export interface ScrapeLog {
  path: string;
  bytes: number;
  lines: number;
  /** In file (and time) order. */
  requests: WrittenRequest[];
}

const batchBytes = MB;
const firstSecond = 1_700_000_000;

export async function writeScrapeLog(path: string, spec: ScrapeLogSpec): Promise<ScrapeLog> {
  const size = spec.sizeMb * MB;
  const pool = noisePool(4096);
  const offsets = requestOffsets(size, spec.requests);
  const guids = new Map(spec.apps.map((name) => [name, crypto.randomUUID()]));
  const log: ScrapeLog = { path, bytes: 0, lines: 0, requests: [] };
  const clock = { seconds: firstSecond, nanos: 0 };
  const handle = await open(path, "wx");
  try {
    let batch: string[] = [];
    let batchSize = 0;
    while (log.bytes + batchSize < size || log.requests.length < offsets.length) {
      const next = offsets[log.requests.length];
      let text: string;
      if (next !== undefined && log.bytes + batchSize >= next) {
        const appName = requestApp(spec.apps, log.requests.length, offsets.length);
        const app = { name: appName, guid: guids.get(appName)! };
        // Aim a little low: the services' escaping adds a few KB the estimate misses.
        const target = (10 + Math.floor(Math.random() * 27)) * 1024;
        const made = requestLine(app, nowNs(clock), target);
        text = `${made.text}\n`;
        const bytes = Buffer.byteLength(text);
        log.requests.push({ appName, stagingGuid: made.stagingGuid, lineNo: log.lines + 1, bytes });
      } else {
        const template = pool[Math.floor(Math.random() * pool.length)]!;
        text = `${timestampHead}${stamp(clock)}${template.tail}\n`;
      }
      tick(clock);
      log.lines++;
      batch.push(text);
      batchSize += text.length;
      if (batchSize >= batchBytes) {
        spec.signal?.throwIfAborted();
        log.bytes += (await handle.write(batch.join(""))).bytesWritten;
        [batch, batchSize] = [[], 0];
      }
    }
    if (batch.length > 0) log.bytes += (await handle.write(batch.join(""))).bytesWritten;
  } finally {
    await handle.close();
  }
  return log;
}

/** One byte offset per request, each at a random place in its own slice of the file. */
function requestOffsets(size: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor(((i + Math.random()) * size) / count));
}

/**
 * The app of request `index` of `count`: the last app stages in the first half only, and for
 * sure just before the middle; the others anywhere.
 */
function requestApp(apps: readonly string[], index: number, count: number): string {
  const middle = Math.max(0, Math.floor(count / 2) - 1);
  if (index === middle) return apps[apps.length - 1]!;
  const choices = index < middle ? apps.length : Math.max(1, apps.length - 1);
  return apps[Math.floor(Math.random() * choices)]!;
}

function tick(clock: { seconds: number; nanos: number }): void {
  clock.nanos += Math.floor(Math.random() * 300_000);
  if (clock.nanos >= 1e9) [clock.seconds, clock.nanos] = [clock.seconds + 1, clock.nanos - 1e9];
}

function stamp(clock: { seconds: number; nanos: number }): string {
  return `${clock.seconds}.${String(clock.nanos).padStart(9, "0")}`;
}

function nowNs(clock: { seconds: number; nanos: number }): bigint {
  return BigInt(clock.seconds) * 1_000_000_000n + BigInt(clock.nanos);
}
