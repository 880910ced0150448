import { ExitCode, RestagerError, type RestagerErrorOptions } from "../errors.js";

/** A published host port was taken when the container started. */
export class PortInUseError extends RestagerError {
  /** The host port named by the engine, when it said which. */
  readonly hostPort: number | undefined;

  constructor(hostPort: number | undefined, options: RestagerErrorOptions = {}) {
    super(`Host port ${hostPort ?? "(unknown)"} is already in use`, ExitCode.unavailable, {
      hint: "Choose another host port with --publish HOST:CONTAINER, or leave it to restager",
      ...options,
    });
    this.hostPort = hostPort;
  }
}

/**
 * Recognises the engine's port clash messages: `Bind for 0.0.0.0:8080 failed: port is already
 * allocated` (another container) and `listen tcp4 0.0.0.0:8080: bind: address already in use`
 * (another process).
 */
export function portInUse(message: string): { hostPort: number | undefined } | undefined {
  if (!/port is already allocated|address already in use/.test(message)) return undefined;
  const port = /:(\d+)(?: failed|: bind)/.exec(message)?.[1];
  return { hostPort: port === undefined ? undefined : Number(port) };
}
