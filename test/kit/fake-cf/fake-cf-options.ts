/** FakeCf's options and their defaults. */
import { detectAdvertiseHost } from "./advertise-host.js";
import type { Credentials } from "./basic-auth.js";
import type { ServerName } from "./server-name.js";

export interface FakeCfOptions {
  /** Address the servers listen on; default 0.0.0.0. */
  bindHost?: string;
  /** Host put in URLs meant for containers; default: the docker0 address, else 127.0.0.1. */
  advertiseHost?: string;
  /** Basic-auth credentials of CC's v2 internal endpoints; default internal_user/internal_password. */
  credentials?: Credentials;
  /** cc-uploader's job polling interval; default 100 ms (the real one polls every second). */
  jobPollIntervalMs?: number;
  /** Lifetime of blobstore signed URLs; default 1 hour. */
  signedUrlTtlSeconds?: number;
  /**
   * Speak TLS as a current Cloud Foundry does, with a PKI made at start: file server, blobstore
   * and stager over HTTPS; cc-uploader and Cloud Controller over mutual TLS (a client
   * certificate of the test CA is required at the handshake). Default false (plain HTTP).
   */
  tls?: boolean;
  /**
   * Compute the MD5s only tests read; default true: the request log's `bodyMd5`, and an upload's
   * `md5` when Cloud Controller checks its Content-Digest (SHA-256) rather than its Content-MD5.
   * The bench turns it off: MD5 was most of the fake's work on a droplet upload (three passes),
   * on the cores restager runs on. Cloud Controller's checks are the same either way.
   */
  recordMd5?: boolean;
}

/** Base URLs of every server plus the CC credentials: what the task builders need. */
export type FakeCfEndpoints = Record<ServerName, string> & { credentials: Credentials };

export async function resolveOptions(options: FakeCfOptions): Promise<Required<FakeCfOptions>> {
  return {
    bindHost: options.bindHost ?? "0.0.0.0",
    advertiseHost: options.advertiseHost ?? (await detectAdvertiseHost()),
    credentials: options.credentials ?? {
      username: "internal_user",
      password: "internal_password",
    },
    jobPollIntervalMs: options.jobPollIntervalMs ?? 100,
    signedUrlTtlSeconds: options.signedUrlTtlSeconds ?? 3600,
    tls: options.tls ?? false,
    recordMd5: options.recordMd5 ?? true,
  };
}
