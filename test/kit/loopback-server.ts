/**
 * A plain HTTP server on 127.0.0.1 (ephemeral port) for unit tests of the HTTP adapters: it
 * records every request with its whole body, then lets the test's responder answer it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach } from "vitest";

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/** Answers one request; `hit` counts the requests so far, this one included. */
export type Responder = (res: ServerResponse, hit: number, req: ReceivedRequest) => void;

export interface RecordingServer {
  /** `http://127.0.0.1:<port>` of the current test's server. */
  readonly base: string;
  /** What the current test's server received, in order. */
  readonly received: ReceivedRequest[];
}

/** Starts `server` on an ephemeral loopback port; returns its base URL. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes `server`, dropping kept-alive connections. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/**
 * Registers the per-test set-up and tear-down of a recording server answered by `respond`;
 * call once at the top of a test file. The returned object reads the current test's server.
 */
export function useRecordingServer(respond: Responder): RecordingServer {
  let server: Server | undefined;
  let base = "";
  let received: ReceivedRequest[] = [];
  beforeEach(async () => {
    received = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        const request = {
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body,
        };
        received.push(request);
        respond(res, received.length, request);
      });
    });
    base = await listenOnLoopback(server);
  });
  afterEach(async () => {
    if (server) await closeServer(server);
  });
  return {
    get base() {
      return base;
    },
    get received() {
      return received;
    },
  };
}
