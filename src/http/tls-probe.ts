/**
 * A diagnostic TLS handshake, made only after an https request failed at the socket level.
 *
 * With TLS 1.3 a server checks the client certificate after the client considers the handshake
 * done, so an HTTP client only sees "other side closed"; a Go server (cc-uploader) then sends a
 * `certificate_required` / `bad_certificate` alert, a Node server just closes. Redoing the
 * handshake alone, with the same settings, and reading what comes back tells which it was.
 */
import { isIP } from "node:net";
import { connect } from "node:tls";
import { tlsConnectOptions, type TlsSettings } from "./tls-settings.js";

export interface ProbeTarget {
  /** Where to connect (after --resolve). */
  address: string;
  port: number;
  /** The URL's host name: SNI and certificate verification. */
  hostname: string;
}

export type ProbeOutcome =
  /** The handshake failed with this node:tls / OpenSSL error code. */
  | { kind: "error"; code: string; message: string }
  /** The server hung up during the handshake or right after it, without a word. */
  | { kind: "closed"; afterHandshake: boolean }
  /** The handshake worked and the server kept the connection open: TLS is not the problem. */
  | { kind: "fine" };

/** How long a server gets, after the handshake, to refuse the client certificate. */
const verdictWaitMs = 500;
const connectTimeoutMs = 5_000;

export function probeTls(
  target: ProbeTarget,
  settings: TlsSettings,
  signal?: AbortSignal,
): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let handshakeDone = false;
    const socket = connect({
      host: target.address,
      port: target.port,
      ...(isIP(target.hostname) === 0 ? { servername: target.hostname } : {}),
      ...tlsConnectOptions(settings),
    });
    const onAbort = (): void => finish({ kind: "fine" });
    const finish = (outcome: ProbeOutcome): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(outcome);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    let timer = setTimeout(() => finish({ kind: "fine" }), connectTimeoutMs);
    socket.once("secureConnect", () => {
      handshakeDone = true;
      clearTimeout(timer);
      timer = setTimeout(() => finish({ kind: "fine" }), verdictWaitMs);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      const code = error.code ?? "";
      if (code === "ECONNRESET" || code === "EPIPE") {
        finish({ kind: "closed", afterHandshake: handshakeDone });
      } else finish({ kind: "error", code, message: error.message });
    });
    socket.once("close", () => finish({ kind: "closed", afterHandshake: handshakeDone }));
  });
}
