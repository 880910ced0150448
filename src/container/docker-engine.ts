/**
 * The Docker engine as the composition root sees it: one connection (DOCKER_HOST read once)
 * handing out the container, app, image, volume and swarm clients, each made on first use.
 */
import type { AppRuntime } from "./app-runtime.js";
import type { ContainerRuntime, VolumeStore } from "./container.js";
import { DockerApps } from "./docker-apps.js";
import { DockerConnection } from "./docker-connection.js";
import { DockerImageStore } from "./docker-image-store.js";
import { DockerRuntime } from "./docker-runtime.js";
import { DockerSwarm } from "./docker-swarm.js";
import type { ImageStore } from "./image-store.js";
import type { SwarmRuntime } from "./swarm-runtime.js";

export interface DockerEngineOptions {
  /** Where DOCKER_HOST and friends are read from (default: process.env). */
  env?: NodeJS.ProcessEnv | undefined;
  /** How long a ping waits for an answer. */
  pingTimeoutMs?: number | undefined;
}

export class DockerEngine {
  readonly connection: DockerConnection;
  readonly #pingTimeoutMs: number | undefined;
  #containers: DockerRuntime | undefined;
  #apps: DockerApps | undefined;
  #images: DockerImageStore | undefined;
  #swarm: DockerSwarm | undefined;

  constructor(options: DockerEngineOptions = {}) {
    this.connection = new DockerConnection(options.env ?? process.env);
    this.#pingTimeoutMs = options.pingTimeoutMs;
  }

  /** The engine address, as shown in messages. */
  get where(): string {
    return this.connection.where;
  }

  /** Idle containers for staging (and the leftovers sweep). */
  get containers(): DockerRuntime & ContainerRuntime {
    const { connection } = this;
    this.#containers ??= new DockerRuntime({ connection, pingTimeoutMs: this.#pingTimeoutMs });
    return this.#containers;
  }

  /** App containers (launch, ps, stop). */
  get apps(): DockerApps & AppRuntime {
    this.#apps ??= new DockerApps({ connection: this.connection, runtime: this.containers });
    return this.#apps;
  }

  get images(): DockerImageStore & ImageStore {
    this.#images ??= new DockerImageStore({ connection: this.connection });
    return this.#images;
  }

  get volumes(): VolumeStore {
    return this.containers.volumes;
  }

  get swarm(): DockerSwarm & SwarmRuntime {
    this.#swarm ??= new DockerSwarm({ connection: this.connection });
    return this.#swarm;
  }
}
