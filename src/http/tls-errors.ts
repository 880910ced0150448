/**
 * TLS failures said in a user's terms: what is wrong with which host, and the option that
 * fixes it. One line each and no "is it reachable?" hint: the host answered.
 */
import { ExitCode, RestagerError } from "../errors.js";
import type { ProbeOutcome } from "./tls-probe.js";
import type { TlsSettings } from "./tls-settings.js";

export type TlsFailureKind =
  | "unknown-ca"
  | "host-mismatch"
  | "expired"
  | "not-yet-valid"
  | "client-cert-required"
  | "client-cert-refused"
  | "not-tls";

/** A TLS handshake failed; `kind` says why. Exit 69, like any URL that cannot be used. */
export class TlsError extends RestagerError {
  readonly kind: TlsFailureKind;
  /** `host:port` as in the URL. */
  readonly host: string;

  constructor(
    message: string,
    { kind, host, cause }: { kind: TlsFailureKind; host: string; cause?: unknown },
  ) {
    super(message, ExitCode.unavailable, { cause });
    this.kind = kind;
    this.host = host;
  }
}

/** Server-certificate verification failures, by node:tls / OpenSSL code. */
const serverCodes: Record<string, TlsFailureKind> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "unknown-ca",
  UNABLE_TO_GET_ISSUER_CERT: "unknown-ca",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "unknown-ca",
  SELF_SIGNED_CERT_IN_CHAIN: "unknown-ca",
  DEPTH_ZERO_SELF_SIGNED_CERT: "unknown-ca",
  CERT_UNTRUSTED: "unknown-ca",
  ERR_TLS_CERT_ALTNAME_INVALID: "host-mismatch",
  CERT_HAS_EXPIRED: "expired",
  CERT_NOT_YET_VALID: "not-yet-valid",
  ERR_SSL_WRONG_VERSION_NUMBER: "not-tls",
  ERR_SSL_PACKET_LENGTH_TOO_LONG: "not-tls",
};

/** Alerts a server sends when it wants a client certificate, or does not accept the one sent. */
const clientAlerts = new Set([
  "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED",
  "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE",
  "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE",
  "ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED",
  "ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN",
  "ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE",
  "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA",
  "ERR_SSL_TLSV1_ALERT_ACCESS_DENIED",
  "ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR",
]);

export interface TlsContext {
  url: URL;
  settings: TlsSettings;
}

/** The TlsError behind `error` (a code somewhere in its cause chain), else undefined. */
export function tlsErrorOf(error: unknown, context: TlsContext): TlsError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const failure = fromCode(current, context);
    if (failure) return failure;
    current = current.cause;
  }
  return undefined;
}

/** What a diagnostic handshake found (see tls-probe.ts), as a TlsError, or undefined. */
export function tlsErrorOfProbe(
  outcome: ProbeOutcome,
  context: TlsContext,
  cause: unknown,
): TlsError | undefined {
  switch (outcome.kind) {
    case "fine":
      return undefined;
    case "error": {
      const error = Object.assign(new Error(outcome.message), { code: outcome.code, cause });
      return fromCode(error, context);
    }
    case "closed":
      return clientFailure(context, "it closed the connection during the handshake", cause);
  }
}

function fromCode(
  error: NodeJS.ErrnoException & { cert?: unknown },
  context: TlsContext,
): TlsError | undefined {
  const code = error.code ?? "";
  if (clientAlerts.has(code)) return clientFailure(context, alertName(code), error);
  const kind = serverCodes[code];
  if (kind === undefined) return undefined;
  const host = context.url.host;
  return new TlsError(serverMessage(kind, context, error), { kind, host, cause: error });
}

function serverMessage(
  kind: TlsFailureKind,
  { url, settings }: TlsContext,
  error: Error & { cert?: unknown },
): string {
  const host = url.host;
  const skip = "or pass --insecure to skip verification";
  switch (kind) {
    case "unknown-ca": {
      const given = settings.caSource
        ? `; the CAs from ${settings.caSource} do not include it`
        : "";
      return `TLS: the certificate of ${host} is signed by an unknown CA (${error.message}${given}); pass the platform's CA with --cacert FILE`;
    }
    case "host-mismatch":
      return `TLS: the certificate of ${host} is not valid for ${url.hostname} (it names ${altNames(error)}); check that --resolve sends ${url.hostname} to the right server, ${skip}`;
    case "expired":
      return `TLS: the certificate of ${host} has expired; renew it on the server, ${skip}`;
    case "not-yet-valid":
      return `TLS: the certificate of ${host} is not valid yet (check this machine's clock); ${skip}`;
    case "not-tls":
      return `TLS: ${host} does not speak TLS on this port (its answer is not a TLS handshake: plain HTTP?); check the URL's port or the address --resolve gives`;
    case "client-cert-required":
    case "client-cert-refused":
      return error.message;
  }
}

function clientFailure(context: TlsContext, why: string, cause: unknown): TlsError {
  const host = context.url.host;
  const client = context.settings.client;
  if (client === undefined) {
    return new TlsError(
      `TLS: ${host} requires a client certificate and none was given (${why}); pass one with --cert FILE --key FILE`,
      { kind: "client-cert-required", host, cause },
    );
  }
  return new TlsError(
    `TLS: ${host} refused the client certificate from ${client.source} (${why}); pass one its CA signed, still valid, with --cert FILE --key FILE`,
    { kind: "client-cert-refused", host, cause },
  );
}

/** `ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE` → `alert bad certificate`. */
function alertName(code: string): string {
  const name = code.replace(/^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT_/, "");
  return `alert ${name.toLowerCase().replaceAll("_", " ")}`;
}

function altNames(error: { cert?: unknown }): string {
  const cert = error.cert as { subjectaltname?: unknown } | undefined;
  const names = typeof cert?.subjectaltname === "string" ? cert.subjectaltname : "";
  return names === "" ? "no matching name" : names.replaceAll("IP Address:", "IP:");
}
