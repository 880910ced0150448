/**
 * The image of a Docker-image app's LRP (`rootfs: docker://…`, diego-reference.md §4.8): no
 * droplet; the rootfs names the app's image, which a cell pulls (with the LRP's
 * `image_username` / `image_password`), and the docker app lifecycle comes from the LRP's
 * `cached_dependencies` (or SHARED image layer) at /tmp/lifecycle. The lifecycle is downloaded
 * as the buildpack one is (download cache, checksum, `--resolve`, TLS options); the image
 * builder puts it on top of the app's image. `--image REF` replaces the pulled image by a local
 * one, which gets the lifecycle all the same (its launcher is what the run action starts).
 */
import type { DesiredLrp } from "../diego/desired-lrp.js";
import { NoInputError } from "../errors.js";
import type { Downloader } from "../http/ports.js";
import { dockerUriToImage } from "../restage/stack-image.js";
import { lrpLifecycleSource } from "./lrp-artifacts.js";

/** What the image side needs (src/image/docker-app-image.ts, wired by the CLI). */
export interface DockerAppInput {
  /** The app's image: the rootfs's reference, or `--image`. */
  reference: string;
  /** Pull it first (the rootfs); false for a local `--image`. */
  pull: boolean;
  lifecyclePath: string;
}

export interface DockerLrpImageDeps {
  downloader: Downloader;
  /** Pulls (when asked) and adds the lifecycle; returns the image the instances run. */
  dockerApp(
    input: DockerAppInput,
    signal?: AbortSignal,
  ): Promise<{ ref: string; warnings: string[] }>;
  onPhase?: ((phase: string) => void) | undefined;
}

export interface DockerLrpImage {
  ref: string;
  how: "explicit" | "pulled";
  /** The app image named by the rootfs (or `--image`). */
  appImage: string;
  warnings: string[];
}

export function isDockerRootfs(rootfs: string): boolean {
  return rootfs.startsWith("docker:");
}

export async function resolveDockerLrpImage(
  lrp: DesiredLrp,
  deps: DockerLrpImageDeps,
  choice: { explicit?: string | undefined; signal?: AbortSignal | undefined } = {},
): Promise<DockerLrpImage> {
  const { explicit, signal } = choice;
  const appImage = explicit ?? dockerUriToImage(lrp.rootfs);
  const source = lrpLifecycleSource(lrp);
  if (!source) {
    throw new NoInputError("The desired LRP brings no docker app lifecycle to /tmp/lifecycle", {
      hint: "Its cached_dependencies (or SHARED image layers) name none: the run action's launcher would be missing",
    });
  }
  deps.onPhase?.("downloading the lifecycle");
  const lifecycle = await deps.downloader.download({ ...source, signal });
  try {
    const input = {
      reference: appImage,
      pull: explicit === undefined,
      lifecyclePath: lifecycle.path,
    };
    const image = await deps.dockerApp(input, signal);
    return {
      ref: image.ref,
      how: explicit === undefined ? "pulled" : "explicit",
      appImage,
      warnings: image.warnings,
    };
  } finally {
    await lifecycle.release();
  }
}
