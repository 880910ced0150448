/**
 * Errors of the archive adapter. The download and upload steps wrap them in Diego's wording
 * (`Copying <artifact> into the container failed: <message>`), so messages stay short.
 */
import { ExitCode, RestagerError, type RestagerErrorOptions } from "../errors.js";

/** Not gzip, zip or POSIX tar: Diego's TarTransform fails the same way. */
export class UnknownArchiveFormatError extends RestagerError {
  constructor() {
    super("unknown archive format", ExitCode.taskFailed, {
      hint: "A download action can only deliver a .tgz, .tar or .zip archive",
    });
  }
}

/** An entry would land outside the extraction root, or is otherwise refused. */
export class UnsafeArchiveError extends RestagerError {
  readonly entryName: string;

  constructor(entryName: string, reason: string) {
    super(`Refusing archive entry '${entryName}': ${reason}`, ExitCode.taskFailed, {
      hint: "Rebuild the archive without absolute paths, '..' or links that point outside it",
    });
    this.entryName = entryName;
  }
}

/** The archive is damaged or uses a feature this reader does not support. */
export class CorruptArchiveError extends RestagerError {
  constructor(message: string, options: RestagerErrorOptions = {}) {
    super(message, ExitCode.taskFailed, {
      hint: options.hint ?? "Check that the file downloaded completely and is a valid archive",
      cause: options.cause,
    });
  }
}

/** The first tar entry is missing or not a regular file (Diego uploads exactly one file). */
export class FirstEntryError extends RestagerError {
  constructor(detail: string) {
    super(`Failed to find first item in tar stream: ${detail}`, ExitCode.taskFailed, {
      hint: "An upload action's `from` must name a single regular file; directories are not supported",
    });
  }
}
