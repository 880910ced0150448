/** DockerVolumes: the VolumeStore port over dockerode (the engine's named volumes). */
import type Docker from "dockerode";
import type { RestagerError } from "../errors.js";
import type { VolumeInfo, VolumeStore, VolumeUser } from "./container.js";
import { isNotFound, statusCodeOf, toRestagerError } from "./docker-errors.js";
import { throwIfCancelled } from "../core/cancellation.js";

/** What the engine answers for a volume; `CreatedAt` is missing from dockerode's types. */
interface EngineVolume {
  Name: string;
  Labels: Record<string, string> | null;
  CreatedAt?: string | undefined;
  Mountpoint?: string | undefined;
}

export class DockerVolumes implements VolumeStore {
  constructor(
    private readonly docker: Docker,
    private readonly where: string,
  ) {}

  async list(label: string, value: string, signal?: AbortSignal): Promise<VolumeInfo[]> {
    throwIfCancelled(signal);
    try {
      const listed = await this.docker.listVolumes({
        filters: { label: [`${label}=${value}`] },
        ...(signal ? { abortSignal: signal } : {}),
      });
      return ((listed.Volumes as unknown as EngineVolume[] | null) ?? []).map(volumeInfo);
    } catch (error) {
      throw this.toError(error, "list volumes", signal);
    }
  }

  async inspect(name: string, signal?: AbortSignal): Promise<VolumeInfo | undefined> {
    throwIfCancelled(signal);
    try {
      const found = await this.docker
        .getVolume(name)
        .inspect(signal ? { abortSignal: signal } : {});
      return volumeInfo(found);
    } catch (error) {
      if (isNotFound(error) && !signal?.aborted) return undefined;
      throw this.toError(error, `inspect the volume ${name}`, signal);
    }
  }

  async create(name: string, labels: Record<string, string>, signal?: AbortSignal) {
    throwIfCancelled(signal);
    try {
      // The engine answers an existing volume unchanged (its creator's labels), atomically.
      await this.docker.createVolume({ Name: name, Labels: labels });
    } catch (error) {
      throw this.toError(error, `create the volume ${name}`, signal);
    }
    const created = await this.inspect(name, signal);
    // Removed again between the two calls: report it as created by someone else.
    return created ?? { name, labels: {}, createdAt: new Date() };
  }

  async remove(name: string, signal?: AbortSignal): Promise<boolean> {
    throwIfCancelled(signal);
    try {
      await this.docker.getVolume(name).remove(signal ? { abortSignal: signal } : {});
      return true;
    } catch (error) {
      if (signal?.aborted) throw this.toError(error, `remove the volume ${name}`, signal);
      const status = statusCodeOf(error);
      if (status === 404) return true;
      if (status === 409) return false;
      throw this.toError(error, `remove the volume ${name}`, signal);
    }
  }

  async users(name: string, signal?: AbortSignal): Promise<VolumeUser[]> {
    throwIfCancelled(signal);
    try {
      const found = await this.docker.listContainers({
        all: true,
        filters: { volume: [name] },
        ...(signal ? { abortSignal: signal } : {}),
      });
      return found.map((info) => ({
        id: info.Id,
        state: info.State,
        labels: info.Labels,
        createdAt: new Date(info.Created * 1000),
      }));
    } catch (error) {
      throw this.toError(error, `list the containers using the volume ${name}`, signal);
    }
  }

  private toError(error: unknown, what: string, signal?: AbortSignal): RestagerError {
    return toRestagerError(error, { what, where: this.where, signal });
  }
}

function volumeInfo(volume: EngineVolume): VolumeInfo {
  const created = volume.CreatedAt === undefined ? Number.NaN : Date.parse(volume.CreatedAt);
  return {
    name: volume.Name,
    labels: volume.Labels ?? {},
    // An engine that does not say is treated as "just now": nothing is judged abandoned early.
    createdAt: Number.isNaN(created) ? new Date() : new Date(created),
    mountpoint: volume.Mountpoint || undefined,
  };
}
