import { UsageError } from "../errors.js";

/** The environment variable that sets the HTTP idle timeout (README "Configuration"). */
export const idleTimeoutVariable = "RESTAGER_HTTP_IDLE_TIMEOUT_MS";

/**
 * The downloader's and uploader's idle timeout from `RESTAGER_HTTP_IDLE_TIMEOUT_MS`: how long a
 * server may stay silent (no headers, no body bytes) before the attempt fails as a timeout and is
 * retried. Unset or empty: the transport's default (10 s). Anything but a positive whole number
 * of milliseconds is a usage error, not silently ignored.
 */
export function idleTimeoutFromEnv(env: NodeJS.ProcessEnv): { idleTimeoutMs?: number } {
  const value = env[idleTimeoutVariable];
  if (value === undefined || value === "") return {};
  if (!/^[1-9]\d*$/.test(value)) {
    throw new UsageError(
      `${idleTimeoutVariable}=${value} is not a positive whole number of milliseconds`,
      { hint: `Unset ${idleTimeoutVariable} for the default (10000), or give e.g. 30000` },
    );
  }
  return { idleTimeoutMs: Number(value) };
}
