import { ExitCode, InvalidInputError, findRestagerError } from "../errors.js";
import { redactUrlsInText } from "../core/redact.js";
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
    printCauses(output, known.cause);
    if (known.stack) output.error(known.stack);
  }
  return known.exitCode;
}

/**
 * `--verbose`: the technical causes behind an error, innermost last. Library messages may quote
 * a URL as given (a signed query, a password), so URLs and private keys are redacted here too.
 */
export function printCauses(output: Output, first: unknown): void {
  let cause: unknown = first;
  for (let depth = 0; depth < 10 && cause instanceof Error; depth++) {
    output.error(`Caused by: ${redactUrlsInText(cause.stack ?? cause.message)}`);
    cause = cause.cause;
  }
}
