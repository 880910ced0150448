/**
 * Which image a launch runs: resolveLrpImage (src/launch/lrp-image.ts) over the download client
 * and the image builder of src/image, which builds from the LRP's droplet, its lifecycle and the
 * stack image its rootfs names (`--stack` mappings).
 */
import type { DesiredLrp } from "../../diego/desired-lrp.js";
import type { Downloader } from "../../http/ports.js";
import { dockerAppImage } from "../../image/docker-app-image.js";
import { imageTime } from "../../image/image-time.js";
import { registryCredentials } from "../../image/registry-auth.js";
import { registryHost } from "../../container/registry-errors.js";
import type { DockerAppInput } from "../../launch/docker-lrp-image.js";
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
  // The download clients open at the first download: a launch from an image that is already
  // there never loads them (undici is ~0.05 s of start-up).
  let opened: ReturnType<LaunchPorts["downloads"]> | undefined;
  const downloader: Downloader = {
    download: async (file) => (await (opened ??= ports.downloads())).downloader.download(file),
  };
  const name = lrp.processGuid;
  try {
    const image = await resolveLrpImage(
      lrp,
      {
        runtime: ports.runtime(),
        downloader,
        build: (build, buildSignal) => buildLauncherImage({ ...input, build, buildSignal }, ports),
        dockerApp: (app, pullSignal) => dockerApp({ ...input, app, pullSignal }, ports),
        onPhase: (phase) => ports.onProgress({ kind: "phase", text: `${name}: ${phase}` }),
      },
      { explicit: request.image, signal },
    );
    ports.onProgress({ kind: "phase-end" });
    for (const warning of image.warnings) ports.onProgress({ kind: "warning", text: warning });
    if (image.how === "built") {
      ports.onProgress({ kind: "info", text: `Built ${image.ref} from the LRP's droplet` });
    }
    if (image.how === "pulled") {
      const text = `Pulled ${image.appImage ?? ""}; running it as ${image.ref}`;
      ports.onProgress({ kind: "info", text });
    }
    return image;
  } finally {
    ports.onProgress({ kind: "phase-end" });
    // A failed opening was already thrown by the download that asked for it.
    const clients = await opened?.catch(() => undefined);
    await clients?.close();
  }
}

async function buildLauncherImage(
  input: LaunchImageInput & { build: ImageBuildInput; buildSignal?: AbortSignal | undefined },
  ports: Pick<LaunchPorts, "images" | "plans">,
): Promise<string> {
  const { lrp, request, build } = input;
  const stackImage = resolveStackImage(lrp.rootfs, parseStackMappings(request.stack));
  const { buildImage } = await import("../../image/build-image.js");
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
    { images: ports.images(), plans: ports.plans?.(), tar: await loadTarCodec() },
  );
  return built.tags[0] ?? built.id;
}

/**
 * The tar package, loaded when an image is built or pulled: a launch of an image that is there
 * does not pay for loading it (~30 ms before its first engine request).
 */
async function loadTarCodec() {
  return (await import("../../archive/tar-codec.js")).tarCodec;
}

/** Pulls a Docker-image app's image (credentials: flags, the LRP's, the Docker config). */
async function dockerApp(
  input: LaunchImageInput & { app: DockerAppInput; pullSignal?: AbortSignal | undefined },
  ports: Pick<LaunchPorts, "images" | "onProgress">,
): Promise<{ ref: string; warnings: string[] }> {
  const { lrp, request, app, pullSignal: signal } = input;
  const credentials = app.pull
    ? await registryCredentials({
        registry: registryHost(app.reference),
        user: request.registryUser,
        password: request.registryPassword,
        request: { username: lrp.imageUsername, password: lrp.imagePassword },
        env: request.hostEnv,
        signal,
      })
    : undefined;
  const name = lrp.processGuid;
  const image = await dockerAppImage(
    {
      ...app,
      auth: credentials?.auth,
      insecureRegistry: request.insecureRegistry,
      time: imageTime(request.hostEnv),
      signal,
    },
    {
      images: ports.images(),
      tar: await loadTarCodec(),
      onPhase: (phase) => ports.onProgress({ kind: "phase", text: `${name}: ${phase}` }),
    },
  );
  const notes = credentials?.note ? [credentials.note] : [];
  return { ref: image.ref, warnings: [...notes, ...image.warnings] };
}
