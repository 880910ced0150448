/**
 * Which image a launch runs: resolveLrpImage (src/launch/lrp-image.ts) over the download client
 * and the image builder of src/image, which builds from the LRP's droplet, its lifecycle and the
 * stack image its rootfs names (`--stack` mappings).
 */
import { tarCodec } from "../../archive/tar-codec.js";
import type { DesiredLrp } from "../../diego/desired-lrp.js";
import { buildImage } from "../../image/build-image.js";
import { imageTime } from "../../image/image-time.js";
import { resolveLrpImage, type ImageBuildInput, type LrpImage } from "../../launch/lrp-image.js";
import { parseStackMappings, resolveStackImage } from "../../restage/stack-image.js";
import type { LaunchPorts, LaunchRequest } from "./launch-request.js";

export interface LaunchImageInput {
  lrp: DesiredLrp;
  request: LaunchRequest;
  signal?: AbortSignal | undefined;
}

export async function launchImage(input: LaunchImageInput, ports: LaunchPorts): Promise<LrpImage> {
  const { lrp, request, signal } = input;
  const http = await ports.downloads();
  const name = lrp.processGuid;
  try {
    const image = await resolveLrpImage(
      lrp,
      request.image,
      {
        runtime: ports.runtime(),
        downloader: http.downloader,
        build: (build, buildSignal) => buildLauncherImage({ ...input, build, buildSignal }, ports),
        onPhase: (phase) => ports.onProgress({ kind: "phase", text: `${name}: ${phase}` }),
      },
      signal,
    );
    ports.onProgress({ kind: "phase-end" });
    for (const warning of image.warnings) ports.onProgress({ kind: "warning", text: warning });
    if (image.how === "built") {
      ports.onProgress({ kind: "info", text: `Built ${image.ref} from the LRP's droplet` });
    }
    return image;
  } finally {
    ports.onProgress({ kind: "phase-end" });
    await http.close();
  }
}

async function buildLauncherImage(
  input: LaunchImageInput & { build: ImageBuildInput; buildSignal?: AbortSignal | undefined },
  ports: Pick<LaunchPorts, "images">,
): Promise<string> {
  const { lrp, request, build } = input;
  const stackImage = resolveStackImage(lrp.rootfs, parseStackMappings(request.stack));
  const built = await buildImage(
    {
      dropletPath: build.dropletPath,
      lifecyclePath: build.lifecyclePath,
      stackImage,
      stack: /^preloaded(?:\+layer)?:([^?]+)/.exec(lrp.rootfs)?.[1],
      appGuid: build.app.guid,
      appName: build.app.name,
      env: build.env,
      time: imageTime(request.hostEnv),
      signal: input.buildSignal,
    },
    { images: ports.images(), tar: tarCodec },
  );
  return built.tags[0] ?? built.id;
}
