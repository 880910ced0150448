import type { AppIdentity } from "../../diego/app-identity.js";
import type { TaskRequest } from "../../diego/task-definition.js";
import type { ImageInput } from "../image/build-and-push.js";

/** What a staged droplet's image is built from (after staging, or ahead of its end). */
export function stagedImageInput(staged: {
  request: TaskRequest;
  app: AppIdentity;
  droplet: { path: string; sizeBytes: number; md5Base64: string; sha256Base64: string };
  lifecyclePath: string;
  stackImage: string;
  result: unknown;
}): ImageInput {
  const { request, app, droplet } = staged;
  const definition = request.definition;
  const lang = definition.env.find((variable) => variable.name === "LANG");
  return {
    dropletPath: droplet.path,
    // Hashed while it was uploaded: the image build need not hash it again.
    dropletDigests: {
      sizeBytes: droplet.sizeBytes,
      md5Hex: Buffer.from(droplet.md5Base64, "base64").toString("hex"),
      sha256Hex: Buffer.from(droplet.sha256Base64, "base64").toString("hex"),
    },
    lifecyclePath: staged.lifecyclePath,
    stackImage: staged.stackImage,
    stack: /^preloaded(?:\+layer)?:([^?]+)/.exec(definition.rootfs)?.[1],
    appGuid: app.guid,
    appName: app.name,
    taskGuid: request.taskGuid,
    result: staged.result,
    env: lang ? [`LANG=${lang.value}`] : [],
  };
}
