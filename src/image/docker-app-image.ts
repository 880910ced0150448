/**
 * The image a Docker-image app's instances run: the app's own image (pulled as a cell pulls its
 * `docker://` rootfs) with the docker app lifecycle in /tmp/lifecycle on top, where a cell
 * bind-mounts the cached dependency. The lifecycle layer is the lifecycle base image of
 * lifecycle-base.ts, keyed by the app image's id and the lifecycle's sha256: the app image's
 * layers are referenced, not copied, and its env is kept (Garden applies an image's env);
 * user, working directory and command come from the LRP's run action, not from the image.
 */
import type { ImageStore, RegistryAuth } from "../container/image-store.js";
import { registryHost } from "../container/registry-errors.js";
import { NoInputError, findRestagerError } from "../errors.js";
import { checkInsecureRegistry } from "./insecure-registry.js";
import { ensureLifecycleBase } from "./lifecycle-base.js";
import { fileSha256 } from "./planned-layer.js";
import type { TarCodec } from "../archive/ports.js";

export interface DockerAppImageInput {
  /** `[host[:port]/]repo:tag` (dockerRootfsReference) or a local image (`--image`). */
  reference: string;
  /** Pull first (a cell always fetches the rootfs); false for a local `--image`. */
  pull: boolean;
  auth?: RegistryAuth | undefined;
  /** Check first that the engine reaches the registry over plain HTTP (see insecure-registry.ts). */
  insecureRegistry?: boolean | undefined;
  lifecyclePath: string;
  time: Date;
  signal?: AbortSignal | undefined;
}

export interface DockerAppImageDeps {
  images: ImageStore;
  /** Writes the lifecycle layer. */
  tar: TarCodec;
  onPhase?: ((phase: string) => void) | undefined;
}

export interface DockerAppImage {
  /** What the instances run: the app image with the lifecycle layer. */
  ref: string;
  /** The app image's id (`sha256:...`). */
  appImageId: string;
  warnings: string[];
}

export async function dockerAppImage(
  input: DockerAppImageInput,
  deps: DockerAppImageDeps,
): Promise<DockerAppImage> {
  const { images } = deps;
  const warnings: string[] = [];
  if (input.pull) await pull(input, deps, warnings);
  const app = await images.inspect(input.reference, input.signal);
  if (!app) {
    throw new NoInputError(`The Docker image '${input.reference}' does not exist in the engine`, {
      hint: "Check the name with 'docker images', or leave out --image to pull the LRP's rootfs",
    });
  }
  deps.onPhase?.("adding the lifecycle to the image");
  const base = await ensureLifecycleBase(
    {
      stack: app,
      lifecyclePath: input.lifecyclePath,
      lifecycleSha256Hex: await fileSha256(input.lifecyclePath),
      time: input.time,
      signal: input.signal,
      tar: deps.tar,
    },
    images,
  );
  return { ref: base.tag, appImageId: app.id, warnings };
}

/**
 * Pulls the image; when the pull fails but the engine already holds the image, that one runs
 * with a warning (an offline machine, a registry gone), as `docker run` would run it.
 */
async function pull(
  input: DockerAppImageInput,
  deps: DockerAppImageDeps,
  warnings: string[],
): Promise<void> {
  const { images, onPhase } = deps;
  if (input.insecureRegistry) {
    const settings = await images.registrySettings(input.signal);
    await checkInsecureRegistry(registryHost(input.reference), settings);
  }
  onPhase?.(`pulling ${input.reference}`);
  try {
    await images.pull(input.reference, { auth: input.auth, signal: input.signal });
  } catch (error) {
    if (input.signal?.aborted || !findRestagerError(error)) throw error;
    const local = await images.inspect(input.reference, input.signal);
    if (!local) throw error;
    const why = findRestagerError(error)?.message ?? String(error);
    warnings.push(`${why}; running the image ${input.reference} the engine already has`);
  }
}
