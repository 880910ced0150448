import { ExitCode, InvalidInputError, findRestagerError } from "../errors.js";
import type { Output } from "./output.js";

const issueLimit = 20;

/** Prints an error once (title, JSON-path issues, hint; cause and stack with --verbose). */
export function reportError(error: unknown, output: Output): number {
  const known = findRestagerError(error);
  if (!known) {
    output.error(`Internal error: ${error instanceof Error ? error.message : String(error)}`);
    output.error("This is a bug in restager; please report it with the output of --verbose.");
    if (output.verbose && error instanceof Error && error.stack) output.error(error.stack);
    else output.error("Run again with --verbose to see the stack trace.");
    return ExitCode.internal;
  }
  output.error(`Error: ${known.message}`);
  if (known instanceof InvalidInputError) {
    for (const issue of known.issues.slice(0, issueLimit)) {
      output.error(`  ${issue.path}: ${issue.message}`);
    }
    if (known.issues.length > issueLimit) {
      output.error(`  ... and ${known.issues.length - issueLimit} more`);
    }
  }
  if (known.hint) output.error(`Hint: ${known.hint}`);
  if (output.verbose) {
    let cause: unknown = known.cause;
    while (cause instanceof Error) {
      output.error(`Caused by: ${cause.stack ?? cause.message}`);
      cause = cause.cause;
    }
    if (known.stack) output.error(known.stack);
  }
  return known.exitCode;
}
