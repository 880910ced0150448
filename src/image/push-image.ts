/**
 * Pushes a built image: each of its names gets the `--registry` prefix (as a tag in the
 * engine), then the engine pushes it, layer by layer, reporting progress. All names of one
 * image share one manifest, so one digest is returned.
 */
import type { ImageStore, PushLayerEvent, RegistryAuth } from "../container/image-store.js";
import { UsageError } from "../errors.js";
import { registryHost } from "../container/registry-errors.js";
import { checkInsecureRegistry } from "./insecure-registry.js";
import { withRegistry } from "./image-tags.js";
import type { ProgressEvent } from "../core/events.js";

export interface PushImageOptions {
  id: string;
  tags: string[];
  /** `host[:port]` put in front of every name; the names' own registry when absent. */
  registry?: string | undefined;
  auth?: RegistryAuth | undefined;
  /** Check first that the engine treats the registry as plain HTTP (see insecure-registry.ts). */
  insecureRegistry?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export interface PushImageDeps {
  images: ImageStore;
  onPhase?: ((phase: string) => void) | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

export interface PushedImage {
  refs: string[];
  /** `sha256:<hex>` of the manifest: pull with `<repository>@<digest>`. */
  digest: string;
  /** The first name without its tag, for `repository@digest`. */
  repository: string;
  layersPushed: number;
  layersExisting: number;
}

export async function pushBuiltImage(
  options: PushImageOptions,
  deps: PushImageDeps,
): Promise<PushedImage> {
  const refs = options.tags.map((tag) => withRegistry(tag, options.registry));
  const hosts = [...new Set(refs.map(registryHost))];
  if (hosts.includes("docker.io") && options.registry === undefined) {
    throw new UsageError("--push needs a registry", {
      hint: "Name one with --registry HOST[:PORT], e.g. --registry 127.0.0.1:5000",
    });
  }
  if (options.insecureRegistry) {
    const settings = await deps.images.registrySettings(options.signal);
    for (const host of hosts) await checkInsecureRegistry(host, settings);
  }
  const layers = new Map<string, string>();
  let digest = "";
  for (const ref of refs) {
    if (!options.tags.includes(ref)) await deps.images.tag(options.id, ref);
    deps.onPhase?.(`pushing ${ref}`);
    const pushed = await deps.images.push(ref, {
      auth: options.auth,
      signal: options.signal,
      onLayer: (event) => onLayer(event, layers, deps.onProgress),
    });
    digest ||= pushed.digest;
  }
  const states = [...layers.values()];
  return {
    refs,
    digest,
    repository: (refs[0] ?? "").replace(/:[^:/]+$/, ""),
    layersPushed: states.filter((s) => s === "Pushed").length,
    layersExisting: states.filter((s) => s !== "Pushed").length,
  };
}

const doneStates = /^(Pushed|Layer already exists|Mounted from)/;

function onLayer(
  event: PushLayerEvent,
  layers: Map<string, string>,
  onProgress: ((event: ProgressEvent) => void) | undefined,
): void {
  const artifact = `layer ${event.layer}`;
  if (event.status === "Pushing" && event.bytes !== undefined) {
    const totalBytes = event.totalBytes ?? event.bytes;
    if (!layers.has(event.layer)) onProgress?.({ kind: "upload-start", artifact, totalBytes });
    layers.set(event.layer, "Pushing");
    onProgress?.({ kind: "upload-progress", artifact, bytes: event.bytes, totalBytes });
  } else if (doneStates.test(event.status)) {
    const previous = layers.get(event.layer);
    if (previous === "Pushed" || previous?.startsWith("Layer already")) return;
    layers.set(event.layer, event.status.startsWith("Pushed") ? "Pushed" : event.status);
    onProgress?.({ kind: "upload-done", artifact, bytes: event.bytes ?? 0 });
  }
}
