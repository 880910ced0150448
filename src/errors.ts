/**
 * The one exit-code table of restager, and the error classes that carry those codes.
 *
 * Every error a user can meet is a RestagerError: `message` says what happened in user terms
 * (never a credential, signed query or VCAP_SERVICES value), `hint` says what to do next, and
 * `cause` (shown only with --verbose) keeps the technical reason. Errors are reported once, by
 * the CLI layer; nothing below it prints them.
 */
export const ExitCode = {
  ok: 0,
  /** The replay worked but the task failed (an action failed). */
  taskFailed: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** The request (JSON, log line, cfdot output) is malformed or not replayable. */
  invalidInput: 65,
  /** No request was found in the given logs or input, or an input file does not exist. */
  noInput: 66,
  /** Docker, a URL or a registry cannot be reached. */
  unavailable: 69,
  /** A bug in restager. */
  internal: 70,
  /** An output file or directory cannot be written (disk full, permissions). */
  cannotWrite: 73,
  /** An upload failed after every retry; the artifact was kept on disk. */
  uploadFailed: 75,
  /** A signed URL was refused (401/403): the request has expired. */
  expired: 77,
  /** Interrupted: 128 + the signal number (SIGHUP 129, SIGINT 130, SIGQUIT 131, SIGTERM 143). */
  hangup: 129,
  cancelled: 130,
  quit: 131,
  terminated: 143,
  /** The builder found no buildpack that detects the app (builder exit 222). */
  noAppDetected: 222,
  /** A buildpack's compile/finalize failed (builder exit 223). */
  compileFailed: 223,
  /** A buildpack's release failed (builder exit 224). */
  releaseFailed: 224,
  /** A supply buildpack failed (builder exit 225). */
  supplyFailed: 225,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface RestagerErrorOptions {
  hint?: string | undefined;
  cause?: unknown;
}

/** Base of every user-facing error. */
export class RestagerError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, exitCode: ExitCodeValue, options: RestagerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = options.hint;
  }
}

export class UsageError extends RestagerError {
  constructor(message: string, options: RestagerErrorOptions = {}) {
    super(message, ExitCode.usage, options);
  }
}

/** One problem found in a request, located by its JSON path (e.g. `action.serial.actions[1].run.path`). */
export interface InputIssue {
  path: string;
  message: string;
}

/** The request is malformed; `issues` lists every problem with its JSON path. */
export class InvalidInputError extends RestagerError {
  readonly issues: readonly InputIssue[];

  constructor(
    message: string,
    issues: readonly InputIssue[] = [],
    options: RestagerErrorOptions = {},
  ) {
    super(message, ExitCode.invalidInput, options);
    this.issues = issues;
  }
}

export class NoInputError extends RestagerError {
  constructor(message: string, options: RestagerErrorOptions = {}) {
    super(message, ExitCode.noInput, options);
  }
}

export class UnavailableError extends RestagerError {
  constructor(message: string, options: RestagerErrorOptions = {}) {
    super(message, ExitCode.unavailable, options);
  }
}

export class CannotWriteError extends RestagerError {
  constructor(message: string, options: RestagerErrorOptions = {}) {
    super(message, ExitCode.cannotWrite, options);
  }
}

/** Why a local write failed, for a CannotWriteError's message: a full disk and a quota by name. */
export function writeFailureReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOSPC") return "no space left on device";
  if (code === "EDQUOT") return "disk quota exceeded";
  return code ?? "write error";
}

/** The signals restager treats as an interrupt, with the exit code each one gives (128 + n). */
export const interruptExitCodes = {
  SIGHUP: ExitCode.hangup,
  SIGINT: ExitCode.cancelled,
  SIGQUIT: ExitCode.quit,
  SIGTERM: ExitCode.terminated,
} as const;

export type InterruptSignalName = keyof typeof interruptExitCodes;

/** Stopped early: by a signal (exit 128 + its number), or by a caller's abort (exit 130). */
export class CancelledError extends RestagerError {
  /** The signal that stopped the run, when one did. */
  readonly signal: InterruptSignalName | undefined;

  constructor(
    message = "Interrupted",
    options: RestagerErrorOptions & { signal?: InterruptSignalName | undefined } = {},
  ) {
    super(message, interruptExitCodes[options.signal ?? "SIGINT"], options);
    this.signal = options.signal;
  }
}

/** A bug: an invariant broke. Reported with the stack and a request to file an issue. */
export class InternalError extends RestagerError {
  constructor(message: string, options: RestagerErrorOptions = {}) {
    super(message, ExitCode.internal, options);
  }
}

/** Finds the first RestagerError in an error's cause chain. */
export function findRestagerError(error: unknown): RestagerError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined; depth++) {
    if (current instanceof RestagerError) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}
