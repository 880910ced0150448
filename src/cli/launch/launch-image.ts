/**
 * The composition root of `launch`'s image: the app runtime, the cached downloader (cache dir,
 * `--resolve`, the TLS options) and the image builder of src/image, behind resolveLrpImage.
 */
import { join } from "node:path";
import { DockerImageStore } from "../../container/docker-image-store.js";
import type { AppRuntime } from "../../container/app-runtime.js";
import type { DesiredLrp } from "../../diego/desired-lrp.js";
import { createHttpClients } from "../../http/http-clients.js";
import { defaultCacheDir } from "../../http/default-cache-dir.js";
import { buildImage } from "../../image/build-image.js";
import { DirectoryPlanCache, planCacheDirName } from "../../image/plan-cache.js";
import { imageTime } from "../../image/image-time.js";
import { resolveLrpImage, type ImageBuildInput, type LrpImage } from "../../launch/lrp-image.js";
import { parseStackMappings, resolveStackImage } from "../../restage/stack-image.js";
import type { Output } from "../output.js";
import { readTlsSettings } from "../tls-flags.js";
import type { LaunchArgs } from "./launch-args.js";

export async function launchImage(
  output: Output,
  lrp: DesiredLrp,
  context: { runtime: AppRuntime; args: LaunchArgs; signal?: AbortSignal | undefined },
): Promise<LrpImage> {
  const { args, signal } = context;
  const http = createHttpClients({
    cacheDir: args.cacheDir ?? defaultCacheDir(output.env),
    resolve: args.resolve,
    upload: false,
    tls: await readTlsSettings(args, output),
  });
  const status = await output.statusLine();
  const name = lrp.processGuid;
  try {
    const image = await resolveLrpImage(
      lrp,
      args.image,
      {
        runtime: context.runtime,
        downloader: http.downloader,
        build: (input, buildSignal) => buildLauncherImage(output, lrp, args, input, buildSignal),
        onPhase: (phase) => status.phase(`${name}: ${phase}`),
      },
      signal,
    );
    status.stop();
    for (const warning of image.warnings) output.warn(warning);
    if (image.how === "built") output.info(`Built ${image.ref} from the LRP's droplet`);
    return image;
  } finally {
    status.stop();
    await http.close();
  }
}

async function buildLauncherImage(
  output: Output,
  lrp: DesiredLrp,
  args: LaunchArgs,
  input: ImageBuildInput,
  signal?: AbortSignal,
): Promise<string> {
  const stackImage = resolveStackImage(lrp.rootfs, parseStackMappings(args.stack));
  const built = await buildImage(
    {
      dropletPath: input.dropletPath,
      lifecyclePath: input.lifecyclePath,
      stackImage,
      stack: /^preloaded(?:\+layer)?:([^?]+)/.exec(lrp.rootfs)?.[1],
      appGuid: input.app.guid,
      appName: input.app.name,
      env: input.env,
      time: imageTime(output.env),
      signal,
    },
    {
      images: new DockerImageStore({ env: output.env }),
      plans: new DirectoryPlanCache(
        join(args.cacheDir ?? defaultCacheDir(output.env), planCacheDirName),
      ),
    },
  );
  return built.tags[0] ?? built.id;
}
