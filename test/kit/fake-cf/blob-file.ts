/** A file served by the fake, hashed once at registration and streamed on every request. */
import { open, stat } from "node:fs/promises";
import { digestFile, type Digests } from "./digests.js";
import { sendBody, sendText, type Exchange } from "./exchange.js";

export interface BlobFile extends Digests {
  filePath: string;
  /** Whole seconds (HTTP dates have no sub-second part). */
  lastModified: Date;
  /** Quoted entity tag. */
  etag: string;
}

export type EtagStyle = (digests: Digests, lastModified: Date) => string;

/** Hashes `filePath` (unless `known` digests are given) and stamps its validators. */
export async function registerBlob(
  filePath: string,
  etagStyle: EtagStyle,
  known?: Digests,
): Promise<BlobFile> {
  const [digests, stats] = await Promise.all([known ?? digestFile(filePath), stat(filePath)]);
  const lastModified = new Date(Math.floor(stats.mtimeMs / 1000) * 1000);
  return { ...digests, filePath, lastModified, etag: etagStyle(digests, lastModified) };
}

/**
 * GET/HEAD with validators: `If-None-Match` wins over `If-Modified-Since` (RFC 9110 §13.2.2);
 * either one matching gives 304 with the validators and no body.
 */
export async function serveBlob(ex: Exchange, blob: BlobFile): Promise<void> {
  if (ex.method !== "GET" && ex.method !== "HEAD") {
    return sendText(ex, 405, "method not allowed\n");
  }
  const validators = { ETag: blob.etag, "Last-Modified": blob.lastModified.toUTCString() };
  if (isNotModified(ex, blob))
    return sendBody(ex, { status: 304, headers: validators, body: Buffer.alloc(0) });
  const file = await open(blob.filePath);
  const headers = {
    ...validators,
    "Content-Type": "application/octet-stream",
    "Content-Length": blob.size,
  };
  // Big pieces cost the fake (in the bench: on restager's cores) far less CPU per byte; a paced
  // body (faults.slow's msPerChunk) keeps Node's 64 KiB pieces, which its timings assume.
  const highWaterMark = ex.fault.msPerChunk > 0 ? undefined : servedChunkBytes;
  return sendBody(ex, { status: 200, headers, body: file.createReadStream({ highWaterMark }) });
}

const servedChunkBytes = 1024 * 1024;

function isNotModified(ex: Exchange, blob: BlobFile): boolean {
  const ifNoneMatch = ex.req.headers["if-none-match"];
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
    return tags.includes("*") || tags.includes(blob.etag);
  }
  const ifModifiedSince = Date.parse(ex.req.headers["if-modified-since"] ?? "");
  return !Number.isNaN(ifModifiedSince) && blob.lastModified.getTime() <= ifModifiedSince;
}
