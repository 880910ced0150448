import { ExitCode, RestagerError, type RestagerErrorOptions } from "../errors.js";

/** The engine does not have the image a container was to be created from. */
export class ImageMissingError extends RestagerError {
  readonly image: string;

  constructor(image: string, options: Omit<RestagerErrorOptions, "hint"> = {}) {
    super(`The Docker image '${image}' does not exist in the engine`, ExitCode.noInput, {
      ...options,
      hint: `Build the stack images with 'bash scripts/setup-machine.sh', or map the stack to an image you have with --stack NAME=IMAGE`,
    });
    this.image = image;
  }
}
