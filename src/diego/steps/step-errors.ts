/**
 * The errors steps fail with, split by audience as Diego's executor does: an EmittableError's
 * message is what the app developer may see (`cf logs`, the task's failure reason); its `cause`
 * is the technical reason, for --verbose only. Cancellations (CancelledError from src/errors.ts
 * and its subclasses) are non-displayable: aggregates never show them.
 */
import { isCancellation } from "../../core/cancellation.js";
import { CancelledError, ExitCode, RestagerError, type ExitCodeValue } from "../../errors.js";
import { formatGoDuration, messages } from "../messages.js";

/** A failure whose message is safe to show to the app developer, verbatim. */
export class EmittableError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** A run action's process ended with a non-zero status (`STG: Exited with status 223`). */
export class ProcessExitedError extends EmittableError {
  constructor(
    readonly source: string,
    readonly exitStatus: number,
    readonly outOfMemory: boolean,
  ) {
    super(messages.exitedWithStatus(source, exitStatus, outOfMemory));
  }
}

/** A codependent child ended (even successfully): the group is over, so it failed. */
export class CodependentExitedError extends Error {
  constructor() {
    super(messages.codependentExited);
    this.name = new.target.name;
  }
}

/**
 * The abort reason a timeout step gives its child. It is a cancellation (the child stops and is
 * not displayed); the timeout step itself then fails with `exceeded <duration> timeout`.
 */
export class TimeoutCancelledError extends CancelledError {
  constructor(readonly timeoutMs: number) {
    super(`exceeded ${formatGoDuration(timeoutMs)} timeout`);
  }
}

/** Several children failed (parallel, codependent); the message joins the displayable ones. */
export class AggregateStepError extends Error {
  constructor(readonly errors: readonly unknown[]) {
    super(errors.filter(isDisplayable).map(errorMessage).filter(Boolean).join("; "));
    this.name = new.target.name;
  }
}

/**
 * An upload failed after the uploader's retries. Not emittable (Diego never emits upload errors:
 * they may carry the signed URL); keeps the uploader's exit code (e.g. 75, or 77 for an expired
 * URL) and hint, so the CLI reports it properly.
 */
export class UploadStepError extends RestagerError {
  constructor(
    readonly artifact: string,
    cause: unknown,
  ) {
    // The executor's upload step returns the uploader's error unchanged (`Upload failed: Status
    // code 500` is the task's failure reason); an error of unknown shape might carry the signed
    // URL, so it is replaced by the step's own line.
    const inner = cause instanceof RestagerError ? cause : undefined;
    const code: ExitCodeValue = inner?.exitCode ?? ExitCode.uploadFailed;
    super(inner ? inner.message : messages.uploadFailed(artifact), code, {
      hint: inner?.hint,
      cause,
    });
  }
}

/** Cancellations are hidden from aggregated messages, as Diego's `IsDisplayable() false`. */
export function isDisplayable(error: unknown): boolean {
  return !isCancellation(error);
}

/**
 * The error a parallel/codependent group fails with: a lone cancellation stays a cancellation
 * (so Ctrl-C propagates as such); anything else becomes an AggregateStepError.
 */
export function aggregateErrors(errors: readonly unknown[]): unknown {
  if (errors.length > 0 && errors.every(isCancellation)) return errors[0];
  return new AggregateStepError(errors);
}

/**
 * Finds the first error matching `guard` in an error tree: `cause` chains and the members of
 * aggregates, depth first. Lets callers recover e.g. the process exit status or an upload's
 * exit code behind a timeout or parallel wrapper.
 */
export function findStepError<T>(
  error: unknown,
  guard: (candidate: unknown) => candidate is T,
  depth = 0,
): T | undefined {
  if (error === undefined || error === null || depth > 20) return undefined;
  if (guard(error)) return error;
  const children: unknown[] = error instanceof AggregateStepError ? [...error.errors] : [];
  if (error instanceof Error && error.cause !== undefined) children.push(error.cause);
  for (const child of children) {
    const found = findStepError(child, guard, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The exit status of the failed process behind `error`, if a run step failed. */
export function findExitStatus(error: unknown): number | undefined {
  const exited = findStepError(
    error,
    (e): e is ProcessExitedError => e instanceof ProcessExitedError,
  );
  return exited?.exitStatus;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
