/**
 * The image side of the Docker port: what building, tagging, pushing and finding restager's
 * launcher images needs. dockerode stays behind it (docker-image-store.ts); nothing here leaks
 * a library type.
 */
import type { Readable } from "node:stream";

/** What restager reads from an image (`GET /images/{name}/json`). */
export interface ImageInfo {
  /** `sha256:<hex>`: the digest of the image's config JSON. */
  id: string;
  repoTags: string[];
  /** `repo@sha256:<hex>` for each registry the image was pushed to or pulled from. */
  repoDigests: string[];
  os: string;
  architecture: string;
  variant?: string | undefined;
  env: string[];
  labels: Record<string, string>;
  user: string;
  workingDir: string;
  entrypoint: string[];
  cmd: string[];
  exposedPorts: string[];
  /** Healthcheck test, e.g. `["CMD-SHELL", "..."]`; empty when none. */
  healthcheck: string[];
  /** The layers' diffIDs (`sha256:<hex>` of each uncompressed layer tar), base first. */
  diffIds: string[];
  sizeBytes: number;
}

/** An image found by label (`GET /images/json?filters=...`). */
export interface FoundImage {
  id: string;
  repoTags: string[];
  labels: Record<string, string>;
  /** Unix seconds, as the engine reports it. */
  created: number;
  sizeBytes: number;
}

/** Credentials for one registry, sent as X-Registry-Auth; never logged. */
export interface RegistryAuth {
  serveraddress: string;
  username?: string | undefined;
  password?: string | undefined;
  /** Base64 `user:password` from a Docker config's `auths.<host>.auth`. */
  auth?: string | undefined;
  identitytoken?: string | undefined;
}

/** One layer's state during a push, as the engine reports it. */
export interface PushLayerEvent {
  /** Short layer id (12 hex digits). */
  layer: string;
  /** `Preparing`, `Waiting`, `Pushing`, `Pushed`, `Layer already exists`, `Mounted from ...`. */
  status: string;
  bytes?: number | undefined;
  totalBytes?: number | undefined;
}

export interface PushResult {
  /** `sha256:<hex>` of the manifest the registry stored. */
  digest: string;
  /** Manifest size in bytes. */
  sizeBytes: number;
}

/** How the engine treats registries (`GET /info` RegistryConfig). */
export interface RegistrySettings {
  /** CIDRs of registries the engine reaches over plain HTTP (default 127.0.0.0/8). */
  insecureCidrs: string[];
  /** Registries (`host[:port]`) configured explicitly, and whether they need TLS. */
  indexes: Record<string, { secure: boolean }>;
}

export interface ImageStore {
  /** The image named `ref` (tag, id or digest reference); undefined when it does not exist. */
  inspect(ref: string, signal?: AbortSignal): Promise<ImageInfo | undefined>;
  /** `GET /images/{ref}/get`: the image as a docker-save tar. The caller consumes or destroys it. */
  exportImage(ref: string, signal?: AbortSignal): Promise<Readable>;
  /**
   * `POST /images/load`: streams a docker-save tar into the engine; resolves with the engine's
   * messages once it loaded all of it; rejects with the engine's error (or the stream's).
   */
  load(archive: Readable, signal?: AbortSignal): Promise<string[]>;
  /** Adds `target` (`repo:tag`) as a name of `source`. */
  tag(source: string, target: string): Promise<void>;
  /** Pushes `ref` (`registry/repo:tag`), reporting each layer's progress. */
  push(
    ref: string,
    options: {
      auth?: RegistryAuth | undefined;
      onLayer?: ((event: PushLayerEvent) => void) | undefined;
      signal?: AbortSignal | undefined;
    },
  ): Promise<PushResult>;
  /** Pulls `ref` (`repo:tag` or `repo@sha256:...`). */
  pull(
    ref: string,
    options?: { auth?: RegistryAuth | undefined; signal?: AbortSignal },
  ): Promise<void>;
  /** Images carrying `label` (any value) or `label=value`. */
  findImages(label: string, value?: string): Promise<FoundImage[]>;
  /** Removes the name `ref` (the image goes when its last name does); a missing name is fine. */
  untag(ref: string): Promise<void>;
  registrySettings(signal?: AbortSignal): Promise<RegistrySettings>;
}
