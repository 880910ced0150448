/** Errors of the image use cases. */
import { ExitCode, RestagerError } from "../errors.js";

/** An input archive changed between the sizing pass and the streaming pass. */
export class LayerChangedError extends RestagerError {
  constructor(what: string) {
    super(`The ${what} changed while the image was being built`, ExitCode.invalidInput, {
      hint: "Build again once nothing writes to the file any more",
    });
  }
}

/** The engine loaded the image under another id than the config's digest: a bug. */
export class ImageIdMismatchError extends RestagerError {
  constructor(expected: string, actual: string | undefined) {
    super(
      `The engine loaded the image as ${actual ?? "nothing"}, expected ${expected}`,
      ExitCode.internal,
      { hint: "Please report this with the output of --verbose" },
    );
  }
}
