/**
 * Turns dockerode failures into RestagerErrors. dockerode rejects with plain Errors: socket
 * errors carry a Node `code`, HTTP errors a `statusCode` and the engine's `json.message`.
 */
import { cancellation } from "../core/cancellation.js";
import { CannotWriteError, RestagerError, UnavailableError } from "../errors.js";

const connectionCodes = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "EACCES",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

export const unreachableHint =
  "Is Docker running? Start it with 'bash scripts/setup-machine.sh' or set DOCKER_HOST";

interface ErrorContext {
  /** What restager was doing, as a verb phrase: "create a container", "read /etc/passwd". */
  what: string;
  /** The engine address, for messages (`unix:///var/run/docker.sock`). */
  where: string;
  signal?: AbortSignal | undefined;
}

export function toRestagerError(error: unknown, context: ErrorContext): RestagerError {
  if (context.signal?.aborted) return cancellation(context.signal);
  if (error instanceof RestagerError) return error;
  if (isConnectionError(error)) return engineUnreachable(context.where, error);
  const status = statusCodeOf(error);
  const detail = engineMessage(error);
  if (/no space left on device|disk quota exceeded/i.test(detail)) {
    return new CannotWriteError(
      `The Docker engine ran out of disk space trying to ${context.what}`,
      {
        hint: "Free space where the engine keeps its data ('docker system df' shows what uses it; 'docker image prune' and 'docker volume prune' free some), then try again",
        cause: error,
      },
    );
  }
  return new UnavailableError(
    `Docker failed to ${context.what}${status === undefined ? "" : ` (HTTP ${status})`}: ${detail}`,
    { hint: "Check the Docker engine's log; rerun with --verbose for details", cause: error },
  );
}

export function engineUnreachable(where: string, cause: unknown): UnavailableError {
  const denied = codeOf(cause) === "EACCES";
  return new UnavailableError(`Cannot reach the Docker engine at ${where}`, {
    hint: denied
      ? `Permission denied on the Docker socket: run as a user allowed to use it, or set DOCKER_HOST`
      : unreachableHint,
    cause,
  });
}

export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && connectionCodes.has(code);
}

export function statusCodeOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusCodeOf(error) === 404;
}

/** The engine's own words (`json.message`), else the error message. */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: unknown } | null)?.json;
  const message = (json as { message?: unknown } | null | undefined)?.message;
  if (typeof message === "string" && message !== "") return message.trim();
  if (Buffer.isBuffer(json) && json.length > 0) return json.toString("utf8").trim();
  if (!(error instanceof Error)) return String(error);
  // dockerode's own shape for streamed responses: "(HTTP code 404) <reason> - <engine words>".
  const detail = /^\(HTTP code \d+\) [^-]*- ([\s\S]*)$/.exec(error.message)?.[1];
  return (detail ?? error.message).trim();
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
