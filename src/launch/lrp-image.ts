/**
 * Which image runs an LRP's instances, decided by the LRP itself: an image built from exactly
 * the droplet the LRP names (its sha256 or md5 label equals the LRP's checksum), else one built
 * now from the droplet and lifecycle the LRP downloads, as a cell downloads them. `--image`
 * overrides, with a warning when that image holds another droplet.
 */
import type { AppImage, AppRuntime } from "../container/app-runtime.js";
import { LabelKey } from "../core/labels.js";
import { appIdentity, type AppIdentity } from "../diego/app-identity.js";
import type { DesiredLrp } from "../diego/desired-lrp.js";
import { NoInputError, findRestagerError } from "../errors.js";
import type { DownloadedFile, Downloader } from "../http/ports.js";
import { ImageLabel } from "../image/image-labels.js";
import { dropletSource, lrpLifecycleSource, type ArtifactSource } from "./lrp-artifacts.js";
import type { Checksum } from "../core/checksums.js";
import {
  isDockerRootfs,
  resolveDockerLrpImage,
  type DockerLrpImageDeps,
} from "./docker-lrp-image.js";

/** What the image builder needs (src/image/build-image.ts, wired by the CLI). */
export interface ImageBuildInput {
  dropletPath: string;
  lifecyclePath: string;
  app: AppIdentity;
  /** The LRP's LANG, baked into the image as staging does. */
  env: string[];
}

export interface LrpImageDeps {
  runtime: Pick<AppRuntime, "findImage" | "newestImage">;
  downloader: Downloader;
  /** Builds the launcher image and returns its reference. */
  build(input: ImageBuildInput, signal?: AbortSignal): Promise<string>;
  /** Docker-image apps (`rootfs: docker://…`): see docker-lrp-image.ts. */
  dockerApp: DockerLrpImageDeps["dockerApp"];
  onPhase?: ((phase: string) => void) | undefined;
}

export interface LrpImage {
  ref: string;
  /**
   * explicit: --image; local: an image of the LRP's droplet existed; built: made now;
   * pulled: a Docker-image app's image, pulled, with the lifecycle added.
   */
  how: "explicit" | "local" | "built" | "newest" | "pulled";
  /** A Docker-image app's own image (its rootfs, or --image). */
  appImage?: string | undefined;
  /** The droplet's sha256 label of the image, when it has one. */
  dropletSha256?: string | undefined;
  warnings: string[];
}

/** How the image is chosen: `explicit` is --image; `signal` cancels downloads and builds. */
export interface LrpImageChoice {
  explicit?: string | undefined;
  signal?: AbortSignal | undefined;
}

export async function resolveLrpImage(
  lrp: DesiredLrp,
  deps: LrpImageDeps,
  choice: LrpImageChoice = {},
): Promise<LrpImage> {
  const { explicit, signal } = choice;
  if (isDockerRootfs(lrp.rootfs)) return resolveDockerLrpImage(lrp, deps, choice);
  const droplet = dropletSource(lrp);
  if (explicit !== undefined) return explicitImage(explicit, droplet, deps);
  const app = appIdentity(lrp);
  if (!droplet) return newestImage(app, deps, []);
  const known = droplet.checksum ? await imageOfDroplet(droplet.checksum, deps) : undefined;
  if (known) return { ref: known.ref, how: "local", dropletSha256: sha256Of(known), warnings: [] };
  deps.onPhase?.("downloading the droplet");
  let file: DownloadedFile;
  try {
    file = await deps.downloader.download({ ...droplet, signal });
  } catch (error) {
    if (droplet.checksum || !findRestagerError(error)) throw error;
    const why = findRestagerError(error)?.message ?? String(error);
    const warning = `The droplet could not be downloaded (${why}); running the app's newest restager image instead`;
    return newestImage(app, deps, [warning]);
  }
  try {
    const sha256 = file.sha256Hex;
    const local = sha256 ? await findLabelled(ImageLabel.dropletSha256, sha256, deps) : undefined;
    if (local) return { ref: local.ref, how: "local", dropletSha256: sha256, warnings: [] };
    return await buildFrom({ lrp, droplet: file, signal }, deps);
  } finally {
    await file.release();
  }
}

async function buildFrom(
  from: { lrp: DesiredLrp; droplet: DownloadedFile; signal?: AbortSignal | undefined },
  deps: LrpImageDeps,
): Promise<LrpImage> {
  const { lrp, droplet, signal } = from;
  const source = lrpLifecycleSource(lrp);
  if (!source) {
    throw new NoInputError("The desired LRP brings no lifecycle to /tmp/lifecycle", {
      hint: "Its cached_dependencies (or SHARED image layers) name none; give an image with --image REF",
    });
  }
  deps.onPhase?.("downloading the lifecycle");
  const lifecycle = await deps.downloader.download({ ...source, signal });
  try {
    deps.onPhase?.("building the image");
    const lang = lrp.env.find((variable) => variable.name === "LANG");
    const ref = await deps.build(
      {
        dropletPath: droplet.path,
        lifecyclePath: lifecycle.path,
        app: appIdentity(lrp),
        env: lang ? [`LANG=${lang.value}`] : [],
      },
      signal,
    );
    return { ref, how: "built", dropletSha256: droplet.sha256Hex, warnings: [] };
  } finally {
    await lifecycle.release();
  }
}

async function explicitImage(
  ref: string,
  droplet: ArtifactSource | undefined,
  deps: LrpImageDeps,
): Promise<LrpImage> {
  const found = await deps.runtime.findImage(ref);
  if (!found) {
    throw new NoInputError(`The Docker image '${ref}' does not exist in the engine`, {
      hint: "Check the name with 'docker images', or leave out --image to run the LRP's own droplet",
    });
  }
  const warnings: string[] = [];
  const checksum = droplet?.checksum;
  const label = checksum ? labelOf(checksum) : undefined;
  const held = label ? found.labels[label] : undefined;
  if (checksum && label && held !== checksum.value) {
    const holds = held ? `droplet ${checksum.algorithm} ${held.slice(0, 12)}` : "no known droplet";
    warnings.push(
      `--image ${ref} holds ${holds}, not the LRP's droplet ${checksum.algorithm} ${checksum.value.slice(0, 12)}: running it anyway`,
    );
  }
  return { ref: found.ref, how: "explicit", dropletSha256: sha256Of(found), warnings };
}

async function newestImage(
  app: AppIdentity,
  deps: LrpImageDeps,
  warnings: string[],
): Promise<LrpImage> {
  const newest = await deps.runtime.newestImage(LabelKey.appGuid, app.guid);
  if (newest) return { ref: newest.ref, how: "newest", dropletSha256: sha256Of(newest), warnings };
  const who = app.name ? `${app.name} (${app.guid})` : app.guid;
  throw new NoInputError(`No image of the app ${who} was found in the Docker engine`, {
    hint:
      "Build one with 'restage <staging task>' (restage labels it io.restager.app-guid=" +
      `${app.guid}), or name an image with --image REF`,
  });
}

function imageOfDroplet(checksum: Checksum, deps: LrpImageDeps): Promise<AppImage | undefined> {
  const label = labelOf(checksum);
  return label ? findLabelled(label, checksum.value, deps) : Promise.resolve(undefined);
}

function findLabelled(
  label: string,
  value: string,
  deps: LrpImageDeps,
): Promise<AppImage | undefined> {
  return deps.runtime.newestImage(label, value);
}

/** Images carry the droplet's sha256 and md5; a sha1 checksum cannot be matched to a label. */
function labelOf(checksum: Checksum): string | undefined {
  if (checksum.algorithm === "sha256") return ImageLabel.dropletSha256;
  if (checksum.algorithm === "md5") return ImageLabel.dropletMd5;
  return undefined;
}

function sha256Of(image: AppImage): string | undefined {
  return image.labels[ImageLabel.dropletSha256];
}
