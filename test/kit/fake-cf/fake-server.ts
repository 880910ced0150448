/**
 * One fake HTTP server: listens on an ephemeral port, records every request in the shared
 * RequestLog, applies injected faults, and hands the rest to its handler.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { finished, pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { DigestTap } from "./digests.js";
import { sendText, type Exchange, type Handler } from "./exchange.js";
import type { FaultTable } from "./faults.js";
import type { RecordedRequest, RequestLog } from "./request-log.js";
import { S3_ERRORS, sendS3Error } from "./s3-error.js";
import type { ServerName } from "./server-name.js";

export interface FakeServerOptions {
  name: ServerName;
  bindHost: string;
  handler: Handler;
  log: RequestLog;
  faults: FaultTable;
  /** Hash every request body for the log's `bodyMd5` (otherwise it stays undefined). */
  recordMd5: boolean;
  /** Serve HTTPS with this identity; `clientCa` makes a client certificate it signed mandatory. */
  tls?: ServerTls | undefined;
}

export interface ServerTls {
  certPem: string;
  keyPem: string;
  /** Refuse, at the handshake, every client without a certificate this CA signed. */
  clientCaPem?: string | undefined;
}

export class FakeServer {
  readonly name: ServerName;
  readonly port: number;
  readonly #server: Server;

  private constructor(name: ServerName, server: Server) {
    this.name = name;
    this.#server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  static async start(options: FakeServerOptions): Promise<FakeServer> {
    const listener = (req: IncomingMessage, res: ServerResponse) =>
      void dispatch(options, req, res);
    const server = options.tls
      ? createTlsServer(tlsOptions(options.tls), listener)
      : createServer(listener);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, options.bindHost, () => resolve());
    });
    return new FakeServer(options.name, server);
  }

  /** Drops open connections (in-flight requests fail) and stops listening. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Node refuses a missing or unverifiable client certificate during the handshake. */
function tlsOptions(tls: ServerTls) {
  const ca = tls.clientCaPem;
  return {
    cert: tls.certPem,
    key: tls.keyPem,
    minVersion: "TLSv1.2" as const,
    ...(ca === undefined ? {} : { ca: [ca], requestCert: true, rejectUnauthorized: true }),
  };
}

async function dispatch(options: FakeServerOptions, req: IncomingMessage, res: ServerResponse) {
  const started = performance.now();
  const exchange = openExchange(options, req, res);
  const entry = record(options, exchange, started);
  try {
    await run(options.handler, exchange);
  } catch (error) {
    if (res.headersSent) res.destroy();
    else await sendText(exchange, 500, `fake-cf: ${String(error)}\n`).catch(() => res.destroy());
  } finally {
    exchange.body.resume();
  }
  const durationMs = performance.now() - started;
  await complete(options, exchange, { entry, durationMs });
}

function openExchange(
  options: FakeServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Exchange {
  const url = new URL(req.url ?? "/", "http://fake-cf");
  const method = req.method ?? "GET";
  const body = new DigestTap({ md5: options.recordMd5, sha256: false });
  pipeline(req, body).catch(() => undefined);
  const controller = new AbortController();
  res.once("close", () => controller.abort());
  return {
    server: options.name,
    req,
    res,
    method,
    path: url.pathname,
    query: url.searchParams,
    body,
    fault: options.faults.take(options.name, method, url.pathname),
    signal: controller.signal,
  };
}

async function run(handler: Handler, ex: Exchange): Promise<void> {
  if (ex.fault.delayMs > 0) await sleep(ex.fault.delayMs, undefined, { signal: ex.signal });
  if (ex.fault.expired) return sendS3Error(ex, S3_ERRORS.expired);
  if (ex.fault.status !== undefined) {
    return sendText(ex, ex.fault.status, `fake-cf: injected status ${ex.fault.status}\n`);
  }
  return handler(ex);
}

const LIVE = { enumerable: true, configurable: true };

function record(options: FakeServerOptions, ex: Exchange, started: number): RecordedRequest {
  const entry: RecordedRequest = {
    server: ex.server,
    method: ex.method,
    path: ex.path,
    query: Object.fromEntries(ex.query),
    headers: ex.req.headers,
    status: undefined,
    bodyBytes: 0,
    bodyMd5: undefined,
    durationMs: 0,
    outcome: "pending",
    faults: ex.fault.applied,
  };
  // Live until the request completes: a client can hold the whole response before the
  // handler has returned, and a test reading the log right then must see the status.
  const { res, body } = ex;
  Object.defineProperties(entry, {
    status: { get: () => (res.headersSent ? res.statusCode : undefined), ...LIVE },
    bodyBytes: { get: () => body.size, ...LIVE },
    durationMs: { get: () => performance.now() - started, ...LIVE },
  });
  options.log.add(entry);
  return entry;
}

/** Fills the entry once both the response and the request body are done. */
async function complete(
  options: FakeServerOptions,
  ex: Exchange,
  done: { entry: RecordedRequest; durationMs: number },
): Promise<void> {
  const [response, body] = await Promise.allSettled([finished(ex.res), finished(ex.body)]);
  const { entry, durationMs } = done;
  const tap = ex.body;
  Object.defineProperties(entry, {
    status: { value: ex.res.headersSent ? ex.res.statusCode : undefined, writable: true, ...LIVE },
    bodyBytes: { value: tap.size, writable: true, ...LIVE },
    durationMs: { value: durationMs, writable: true, ...LIVE },
  });
  const whole = body.status === "fulfilled" && ex.req.complete;
  entry.bodyMd5 = whole && options.recordMd5 ? tap.digests().md5 : undefined;
  entry.outcome =
    response.status === "fulfilled"
      ? "completed"
      : ex.fault.applied.includes("reset")
        ? "reset"
        : "aborted";
}
