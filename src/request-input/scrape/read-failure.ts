import { CancelledError, NoInputError, RestagerError } from "../../errors.js";

interface Warner {
  warn(text: string): void;
}

/**
 * Handles an error met while reading one log input. A damaged compressed file (a rotated .gz cut
 * short by a copy) only ends that input, with a warning: the lines before the damage were used.
 * Cancellation and unreadable files stop the scrape with a typed error.
 */
export function readFailure(
  error: unknown,
  { source, lines, logger }: { source: string; lines: number; logger?: Warner | undefined },
): void {
  if (error instanceof RestagerError) throw error;
  if (error instanceof Error && error.name === "AbortError") {
    throw new CancelledError("Interrupted while reading logs", { cause: error });
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string" && code.startsWith("Z_")) {
    logger?.warn(`${source}: stopped after line ${lines}: ${(error as Error).message}`);
    return;
  }
  if (code === "ENOENT" || code === "EACCES" || code === "EISDIR" || code === "EPERM") {
    throw new NoInputError(`Cannot read ${source} (${code})`, {
      hint: "Check the path and its permissions",
      cause: error,
    });
  }
  throw error;
}
