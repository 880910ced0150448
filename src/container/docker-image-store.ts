/** DockerImageStore: the ImageStore port over dockerode (image load, inspect, tag, push, pull). */
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import type {
  FoundImage,
  ImageInfo,
  ImageStore,
  PushLayerEvent,
  PushResult,
  RegistryAuth,
  RegistrySettings,
} from "./image-store.js";
import { isNotFound, toRestagerError } from "./docker-errors.js";
import { DockerConnection, type DockerConnectionOptions } from "./docker-connection.js";
import { pullImage, pushImage } from "./docker-image-push.js";
import { jsonMessages } from "./json-messages.js";
import { registryError } from "./registry-errors.js";
import { throwIfCancelled } from "../core/cancellation.js";

export type DockerImageStoreOptions = DockerConnectionOptions;

export class DockerImageStore implements ImageStore {
  readonly where: string;
  private readonly docker: Docker;

  constructor(options: DockerImageStoreOptions = {}) {
    const connection = DockerConnection.of(options);
    this.where = connection.where;
    this.docker = connection.docker;
  }

  async inspect(ref: string, signal?: AbortSignal): Promise<ImageInfo | undefined> {
    throwIfCancelled(signal);
    try {
      return toImageInfo(await this.docker.getImage(ref).inspect());
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw this.toError(error, `inspect the image ${ref}`, signal);
    }
  }

  async exportImage(ref: string, signal?: AbortSignal): Promise<Readable> {
    throwIfCancelled(signal);
    try {
      const stream = (await this.docker.getImage(ref).get()) as Readable;
      signal?.addEventListener("abort", () => stream.destroy(), { once: true });
      return stream;
    } catch (error) {
      throw this.toError(error, `export the image ${ref}`, signal);
    }
  }

  async load(archive: Readable, signal?: AbortSignal): Promise<string[]> {
    throwIfCancelled(signal);
    const messages: string[] = [];
    try {
      const options = { quiet: true, ...(signal ? { abortSignal: signal } : {}) };
      const response = (await this.docker.loadImage(archive, options)) as Readable;
      for await (const message of jsonMessages(response)) {
        const text = message.stream ?? message.status;
        if (text) messages.push(text.trim());
      }
      return messages;
    } catch (error) {
      archive.destroy();
      throw this.toError(error, "load the image", signal);
    }
  }

  async tag(source: string, target: string): Promise<void> {
    const { repo, tag } = splitReference(target);
    try {
      await this.docker.getImage(source).tag({ repo, tag });
    } catch (error) {
      throw this.toError(error, `tag ${source} as ${target}`);
    }
  }

  push(
    ref: string,
    options: {
      auth?: RegistryAuth | undefined;
      onLayer?: ((event: PushLayerEvent) => void) | undefined;
      signal?: AbortSignal | undefined;
    },
  ): Promise<PushResult> {
    const { repo, tag } = splitReference(ref);
    return pushImage(this.docker.getImage(repo), { ...options, tag }).catch((error: unknown) => {
      if (options.signal?.aborted) throw this.toError(error, `push ${ref}`, options.signal);
      throw registryError(error, "push", ref) ?? this.toError(error, `push ${ref}`);
    });
  }

  pull(ref: string, options: { auth?: RegistryAuth | undefined; signal?: AbortSignal } = {}) {
    return pullImage(this.docker, ref, options).catch((error: unknown) => {
      if (options.signal?.aborted) throw this.toError(error, `pull ${ref}`, options.signal);
      throw registryError(error, "pull", ref) ?? this.toError(error, `pull ${ref}`);
    });
  }

  async findImages(label: string, value?: string): Promise<FoundImage[]> {
    const filter = value === undefined ? label : `${label}=${value}`;
    try {
      const found = await this.docker.listImages({ filters: { label: [filter] } });
      return found.map((info) => ({
        id: info.Id,
        repoTags: (info.RepoTags ?? []).filter((t) => t !== "<none>:<none>"),
        labels: info.Labels ?? {},
        created: info.Created,
        sizeBytes: info.Size,
      }));
    } catch (error) {
      throw this.toError(error, "list images");
    }
  }

  async untag(ref: string): Promise<void> {
    try {
      await this.docker.getImage(ref).remove();
    } catch (error) {
      if (isNotFound(error)) return;
      throw this.toError(error, `remove the image name ${ref}`);
    }
  }

  async registrySettings(signal?: AbortSignal): Promise<RegistrySettings> {
    try {
      // dockerode's info takes an abortSignal; its type declarations omit the parameter.
      const info = this.docker.info.bind(this.docker) as unknown as InfoWithSignal;
      const config = (await info(signal ? { abortSignal: signal } : {})).RegistryConfig ?? {};
      const indexes: RegistrySettings["indexes"] = {};
      for (const [name, index] of Object.entries(config.IndexConfigs ?? {})) {
        indexes[name] = { secure: index.Secure !== false };
      }
      return { insecureCidrs: config.InsecureRegistryCIDRs ?? [], indexes };
    } catch (error) {
      throw this.toError(error, "read the engine's registry settings", signal);
    }
  }

  private toError(error: unknown, what: string, signal?: AbortSignal) {
    return toRestagerError(error, { what, where: this.where, signal });
  }
}

type InfoWithSignal = (options: { abortSignal?: AbortSignal }) => Promise<EngineInfo>;

interface EngineInfo {
  RegistryConfig?: {
    InsecureRegistryCIDRs?: string[];
    IndexConfigs?: Record<string, { Secure?: boolean }>;
  };
}

/** `host:5000/repo:tag` → repo `host:5000/repo`, tag `tag` (default `latest`); tag references only. */
export function splitReference(ref: string): { repo: string; tag: string } {
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > slash) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: "latest" };
}

function toImageInfo(info: Docker.ImageInspectInfo): ImageInfo {
  const config = info.Config;
  return {
    id: info.Id,
    repoTags: info.RepoTags ?? [],
    repoDigests: info.RepoDigests ?? [],
    os: info.Os,
    architecture: info.Architecture,
    variant: info.Variant || undefined,
    env: config.Env ?? [],
    labels: config.Labels ?? {},
    user: config.User ?? "",
    workingDir: config.WorkingDir ?? "",
    entrypoint: asArray(config.Entrypoint),
    cmd: asArray(config.Cmd),
    exposedPorts: Object.keys(config.ExposedPorts ?? {}),
    healthcheck: config.Healthcheck?.Test ?? [],
    diffIds: info.RootFS.Layers ?? [],
    sizeBytes: info.Size,
  };
}

function asArray(value: string | string[] | null | undefined): string[] {
  if (value === undefined || value === null) return [];
  return typeof value === "string" ? [value] : value;
}
