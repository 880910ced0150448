import type { AppImage, AppRuntime } from "../container/app-runtime.js";
import { LabelKey } from "../container/labels.js";
import type { AppIdentity } from "../diego/app-identity.js";
import { NoInputError } from "../errors.js";

/**
 * The image `launch` runs: `--image REF` when given (it must exist in the engine), else the
 * most recently created image restage built for the app, found by its `io.restager.app-guid`
 * label (the guid from VCAP_APPLICATION, else the LRP's log guid).
 */
export async function resolveAppImage(
  runtime: Pick<AppRuntime, "findImage" | "newestImage">,
  app: AppIdentity,
  explicit?: string,
): Promise<AppImage> {
  if (explicit !== undefined) {
    const found = await runtime.findImage(explicit);
    if (found) return found;
    throw new NoInputError(`The Docker image '${explicit}' does not exist in the engine`, {
      hint: "Check the name with 'docker images', or leave out --image to use the app's newest restager image",
    });
  }
  const newest = await runtime.newestImage(LabelKey.appGuid, app.guid);
  if (newest) return newest;
  const who = app.name ? `${app.name} (${app.guid})` : app.guid;
  throw new NoInputError(`No image of the app ${who} was found in the Docker engine`, {
    hint:
      "Build one with 'restage <staging task>' (restage labels it io.restager.app-guid=" +
      `${app.guid}), or name an image with --image REF`,
  });
}
