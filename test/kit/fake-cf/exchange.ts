/** One request as the fake's handlers see it, and the response writers that honour faults. */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { DigestTap } from "./digests.js";
import type { FaultPlan } from "./faults.js";
import type { ServerName } from "./server-name.js";

export interface Exchange {
  readonly server: ServerName;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** Path without query, as sent (not percent-decoded). */
  readonly path: string;
  readonly query: URLSearchParams;
  /**
   * The request body. Read it from here, not from `req`: it is counted (and, unless turned
   * off, hashed) for the request log.
   */
  readonly body: DigestTap;
  readonly fault: FaultPlan;
  /** Aborted when the response closes (client gone, finished, or the fake shutting down). */
  readonly signal: AbortSignal;
}

export type Handler = (exchange: Exchange) => Promise<void>;

export interface Response {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer | Readable;
}

/**
 * Writes a response, applying the plan's body faults: `wrongBytes` flips the first byte,
 * `msPerChunk` paces the chunks, `resetAfterBytes` destroys the socket after that many body
 * bytes. HEAD gets the headers only. A stream body is always consumed or destroyed.
 */
export async function sendBody(ex: Exchange, response: Response): Promise<void> {
  const { res, fault } = ex;
  const { status, headers, body } = response;
  const source = Buffer.isBuffer(body) ? [body] : body;
  if (fault.resetAfterBytes === 0 || ex.method === "HEAD") {
    if (!Buffer.isBuffer(body)) body.destroy();
    if (fault.resetAfterBytes === 0) res.destroy();
    else res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, headers);
  let sent = 0;
  let corrupt = fault.wrongBytes;
  for await (const raw of source) {
    let chunk = raw as Buffer;
    if (corrupt && chunk.length > 0) [chunk, corrupt] = [flipFirstByte(chunk), false];
    if (fault.msPerChunk > 0) await sleep(fault.msPerChunk, undefined, { signal: ex.signal });
    const limit = fault.resetAfterBytes;
    if (limit !== undefined && sent + chunk.length >= limit) {
      await flush(res, chunk.subarray(0, limit - sent));
      res.destroy();
      return;
    }
    if (!(await write(res, chunk))) return;
    sent += chunk.length;
  }
  if (fault.resetAfterBytes !== undefined) res.destroy();
  else res.end();
}

/** A complete small body of the given type, with its Content-Length. */
export function sendTyped(
  ex: Exchange,
  status: number,
  typed: { type: string; text: string },
): Promise<void> {
  const body = Buffer.from(typed.text);
  const headers = { "Content-Type": typed.type, "Content-Length": body.length };
  return sendBody(ex, { status, headers, body });
}

export function sendText(ex: Exchange, status: number, text: string): Promise<void> {
  return sendTyped(ex, status, { type: "text/plain; charset=utf-8", text });
}

export function sendJson(ex: Exchange, status: number, value: unknown): Promise<void> {
  return sendTyped(ex, status, { type: "application/json", text: JSON.stringify(value) });
}

function flipFirstByte(chunk: Buffer): Buffer {
  const copy = Buffer.from(chunk);
  copy[0] = (copy[0] ?? 0) ^ 0xff;
  return copy;
}

/** Writes with backpressure; false when the client went away. */
function write(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (value: boolean) => () => {
      res.off("drain", onDrain).off("close", onClose);
      resolve(value);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    res.on("drain", onDrain).on("close", onClose);
  });
}

/** Writes and waits until the bytes reached the socket (so a reset comes after them). */
function flush(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => res.write(chunk, () => resolve()));
}
