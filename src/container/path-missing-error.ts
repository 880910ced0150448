import { ExitCode, RestagerError, type RestagerErrorOptions } from "../errors.js";

/** A path asked for with getArchive does not exist inside the container. */
export class PathMissingError extends RestagerError {
  readonly path: string;

  constructor(path: string, options: RestagerErrorOptions = {}) {
    super(`${path} does not exist in the container`, ExitCode.noInput, options);
    this.path = path;
  }
}
