/**
 * What earlier demo runs left: the app, when a `--keep` run left it running, and the launcher
 * images. The droplet differs from one staging to the next (its files carry the build time),
 * so each run tags a new `restager/demo-app:<md5 prefix>`; removing the earlier ones first
 * means a machine holds one demo image however often the demo runs.
 */
import Docker from "dockerode";
import { demoApp } from "./demo-app.js";

const APP_GUID_LABEL = "io.restager.app-guid";

/** Removes every image labelled with the demo app's guid; returns how many went. */
export async function removeEarlierImages(): Promise<number> {
  const docker = new Docker();
  const images = await docker.listImages({
    filters: { label: [`${APP_GUID_LABEL}=${demoApp.guid}`] },
  });
  for (const image of images) {
    await docker
      .getImage(image.Id)
      .remove({ force: true })
      .catch((error: unknown) => {
        if ((error as { statusCode?: unknown }).statusCode !== 404) throw error;
      });
  }
  return images.length;
}
