import type { PublishSpec } from "./publish-spec.js";
import type { PendingCertificates } from "../restage/system-certificates.js";
import type { EnvVar } from "../core/env-var.js";

/** What the user asked for, beyond the LRP itself (flags of `launch`). */
export interface LaunchOptions {
  /** The image to run (resolved beforehand: `--image`, or the app's newest restager image). */
  image: string;
  /** `--instances`; default: the LRP's `instances`. */
  instances?: number | undefined;
  network?: string | undefined;
  publish: PublishSpec[];
  /** `--env-file` variables, in file order. */
  envFile: EnvVar[];
  /** `--env` variables. */
  env: EnvVar[];
  keepProxy: boolean;
  withSsh: boolean;
  /** `--start-timeout`; default: the LRP's, else 60 s. */
  startTimeoutMs?: number | undefined;
  /** `--label` values, added to every container. */
  labels: Record<string, string>;
  /** The sha256 of the droplet the image holds, when known; labels every instance. */
  dropletSha256?: string | undefined;
  /** Identifies this invocation; part of container names and labels. */
  runId: string;
  /** restager's own environment: proxy values and bare `--env NAME`. */
  hostEnv: NodeJS.ProcessEnv;
  /**
   * Containers `launch` runs itself: give each instance an identity, and these trusted
   * certificates (undefined: none) at the LRP's `trusted_system_certificates_path`.
   */
  cell?: { identity: boolean; trustedCerts?: PendingCertificates | undefined } | undefined;
}

/** Cloud Controller's default health check timeout, used when the LRP records none. */
export const defaultStartTimeoutMs = 60_000;
