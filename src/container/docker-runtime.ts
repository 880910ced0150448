/** DockerRuntime: the ContainerRuntime port over dockerode. */
import type Docker from "dockerode";
import { UnavailableError } from "../errors.js";
import type { Container, ContainerRuntime, ContainerSpec, VolumeStore } from "./container.js";
import { createOptions } from "./create-options.js";
import { DockerContainer } from "./docker-container.js";
import {
  engineUnreachable,
  isNotFound,
  statusCodeOf,
  toRestagerError,
  unreachableHint,
} from "./docker-errors.js";
import { DockerConnection, type DockerConnectionOptions } from "./docker-connection.js";
import { DockerVolumes } from "./docker-volumes.js";
import { ImageMissingError } from "./image-missing-error.js";
import { throwIfCancelled } from "../core/cancellation.js";

export interface DockerRuntimeOptions extends DockerConnectionOptions {
  /** How long ping() waits for an answer. */
  pingTimeoutMs?: number | undefined;
}

/** A container found by label, running or not. */
export interface FoundContainer {
  id: string;
  name: string;
  state: string;
  labels: Record<string, string>;
  /** The engine's clock, second precision. */
  createdAt: Date;
}

type PingWithSignal = (options: { abortSignal: AbortSignal }) => Promise<unknown>;

export class DockerRuntime implements ContainerRuntime {
  /** The engine address, as shown in messages (`unix:///var/run/docker.sock`). */
  readonly where: string;
  private readonly docker: Docker;
  private readonly connection: DockerConnection;
  private readonly pingTimeoutMs: number;
  readonly volumes: VolumeStore;

  constructor(options: DockerRuntimeOptions = {}) {
    const connection = DockerConnection.of(options);
    this.connection = connection;
    this.where = connection.where;
    this.docker = connection.docker;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 15_000;
    this.volumes = new DockerVolumes(this.docker, this.where);
  }

  /** Asks on a new connection (DockerConnection.probe): an open one may outlive the engine. */
  async ping(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.pingTimeoutMs);
    const abort = (): void => controller.abort();
    signal?.addEventListener("abort", abort, { once: true });
    try {
      // dockerode's ping takes an abortSignal; its type declarations omit the parameter.
      const probe = this.connection.probe;
      const ping = probe.ping.bind(probe) as unknown as PingWithSignal;
      await ping({ abortSignal: controller.signal });
    } catch (error) {
      throwIfCancelled(signal);
      if (controller.signal.aborted) {
        throw new UnavailableError(`Cannot reach the Docker engine at ${this.where}`, {
          hint: `It did not answer within ${this.pingTimeoutMs / 1000} s. ${unreachableHint}`,
          cause: error,
        });
      }
      throw statusCodeOf(error) === undefined
        ? engineUnreachable(this.where, error)
        : this.toError(error, "answer a ping");
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    }
  }

  async imageExists(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw this.toError(error, `look up the image ${ref}`);
    }
  }

  /**
   * Create is not given the signal: an aborted create request can still create the container
   * on the engine, and its id would be lost. Cancellation is checked right after instead, and
   * a container created in vain is removed before rejecting.
   */
  async createIdle(spec: ContainerSpec, signal?: AbortSignal): Promise<Container> {
    const created = await this.create(spec, signal);
    const container = new DockerContainer(this.docker, created.id, {
      where: this.where,
      env: spec.imageEnv === false ? spec.env : undefined,
    });
    try {
      throwIfCancelled(signal);
      // Attached before the start, so no moment exists in which a dead restager leaves it up.
      if (spec.boundToOwner === true) await holdStdin(created);
      await created.start(signal ? { abortSignal: signal } : {});
      throwIfCancelled(signal);
      return container;
    } catch (error) {
      await container.remove().catch(() => undefined);
      throw this.toError(error, "start a container", signal);
    }
  }

  /** As createIdle, for a container that is never started (see ContainerRuntime). */
  async createUnstarted(spec: ContainerSpec, signal?: AbortSignal): Promise<Container> {
    const created = await this.create(spec, signal);
    const container = new DockerContainer(this.docker, created.id, { where: this.where });
    if (signal?.aborted) {
      await container.remove().catch(() => undefined);
      throwIfCancelled(signal);
    }
    return container;
  }

  private async create(spec: ContainerSpec, signal?: AbortSignal): Promise<Docker.Container> {
    throwIfCancelled(signal);
    try {
      return await this.docker.createContainer(createOptions(spec));
    } catch (error) {
      if (isNotFound(error)) throw new ImageMissingError(spec.image, { cause: error });
      throw this.toError(error, "create a container");
    }
  }

  /** A Container for an existing container id (e.g. one kept with --keep-container). */
  attach(id: string): Container {
    return new DockerContainer(this.docker, id, { where: this.where });
  }

  /** Containers carrying `label` (any value) or `label=value`, stopped ones included. */
  async findContainers(label: string, value?: string): Promise<FoundContainer[]> {
    const filter = value === undefined ? label : `${label}=${value}`;
    try {
      const found = await this.docker.listContainers({
        all: true,
        filters: { label: [filter] },
      });
      return found.map((info) => ({
        id: info.Id,
        name: (info.Names[0] ?? "").replace(/^\//, ""),
        state: info.State,
        labels: info.Labels,
        createdAt: new Date(info.Created * 1000),
      }));
    } catch (error) {
      throw this.toError(error, "list containers");
    }
  }

  async removeLabelled(label: string, value: string): Promise<number> {
    const found = await this.findContainers(label, value);
    await Promise.all(found.map((info) => this.attach(info.id).remove()));
    return found.length;
  }

  private toError(error: unknown, what: string, signal?: AbortSignal) {
    return toRestagerError(error, { what, where: this.where, signal });
  }
}

/**
 * Opens the connection a bound container lives on (create-options.ts, boundEntrypoint): its
 * stdin, attached and never written. The engine ends it when the container goes; it does not
 * keep Node running, and an engine that vanishes only ends it.
 */
async function holdStdin(container: Docker.Container): Promise<void> {
  const link = (await container.attach({
    stream: true,
    stdin: true,
    stdout: false,
    stderr: false,
    hijack: true,
  })) as NodeJS.ReadWriteStream & { unref?: () => void; on(event: "error", fn: () => void): void };
  link.on("error", () => undefined);
  link.unref?.();
}
