/**
 * The TLS material every HTTP client of one run shares (`--cacert`, `--cert`/`--key`,
 * `--insecure`), parsed once at the edge (src/cli/tls-flags.ts) and handed by the composition
 * root to each transport: downloads, uploads, callbacks and (issue 13) droplet downloads.
 * A Diego cell's executor works the same way: one TLS config, made of the system CAs plus the
 * platform's CA and the cell's own identity, for its cached downloader and its uploader.
 */
import { rootCertificates } from "node:tls";

export interface ClientIdentity {
  certPem: string;
  keyPem: string;
  /** Where it came from, for messages: `--cert cell.crt` or `RESTAGER_CERT=/path`. */
  source: string;
}

export interface TlsSettings {
  /** PEM certificates trusted in addition to Node's default CAs (never instead of them). */
  extraCaPems: readonly string[];
  /** Where the extra CAs came from, for messages (`--cacert a.pem`), when there are any. */
  caSource?: string | undefined;
  /** Presented to every server that asks for a client certificate. */
  client?: ClientIdentity | undefined;
  /** `--insecure`: server certificates are not verified. */
  insecure: boolean;
}

export const noTlsSettings: TlsSettings = { extraCaPems: [], insecure: false };

/** The options node:tls needs for these settings (`ca` only when CAs were added). */
export function tlsConnectOptions(settings: TlsSettings): {
  ca?: string[];
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
} {
  return {
    ...(settings.extraCaPems.length > 0
      ? { ca: [...rootCertificates, ...settings.extraCaPems] }
      : {}),
    ...(settings.client ? { cert: settings.client.certPem, key: settings.client.keyPem } : {}),
    rejectUnauthorized: !settings.insecure,
  };
}
