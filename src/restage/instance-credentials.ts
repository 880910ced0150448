/**
 * Instance identity for the staging container, as a cell with instance identity enabled gives
 * every container (executor depot/containerstore/instance_identity_handler.go and
 * credmanager.go): `/etc/cf-instance-credentials` mounted read-only, holding `instance.crt`
 * and `instance.key` (root-owned, 0644, in a 0755 directory), and CF_INSTANCE_CERT /
 * CF_INSTANCE_KEY in the container env. The certificate is issued once the container has its
 * address (the IP SAN), by restager's local CA (src/identity/).
 *
 * A cell bind-mounts a host directory; restager never bind-mounts, so the files live in a
 * volume of this restage, written straight into its directory when the engine keeps it on this
 * host and restager may write there, else through a container that is never started, and
 * removed with the staging container. When the engine refuses volumes they are copied in
 * instead (then the directory is not read-only).
 */
import { randomBytes } from "node:crypto";
import type { Container, ContainerRuntime, VolumeMount } from "../container/container.js";
import { LabelKey } from "../core/labels.js";
import { errorMessage } from "../diego/steps/step-errors.js";
import {
  instanceIdentityDir,
  instanceIdentityEnv,
  type IdentityIssuer,
} from "../identity/instance-identity.js";
import type { Archives } from "../archive/ports.js";
import { Readable } from "node:stream";
import type { Logger } from "../core/events.js";
import type { EnvVar } from "../core/env-var.js";
import { accessSync, constants } from "node:fs";
import { writeVolumeFiles } from "../launch/volume-files.js";

export interface InstanceCredentialsContext {
  runtime: ContainerRuntime;
  /** Writes the credentials' tar. */
  archives: Archives;
  /** Issues the credentials (it makes the key ahead: see caIssuer). */
  identities: IdentityIssuer;
  /** The stack image (the fill container runs nothing). */
  image: string;
  /** Labels of the volume and of its fill container (run id, app, test labels). */
  labels: Record<string, string>;
  logger: Logger;
}

export const instanceIdentityKind = "instance-identity";

export class InstanceCredentials {
  #volume: string | undefined;
  /** The volume's directory on this host, when restager may write there (root, local engine). */
  #directory: string | undefined;
  /** The container that fills the volume, created while the staging container starts. */
  #filler: Promise<Container> | undefined;

  private constructor(
    private readonly ctx: InstanceCredentialsContext,
    volume: string | undefined,
  ) {
    this.#volume = volume;
  }

  /** Creates the (empty) volume; without one when the engine refuses it. */
  static async prepare(
    ctx: InstanceCredentialsContext,
    signal: AbortSignal,
  ): Promise<InstanceCredentials> {
    const name = `restager-identity-${randomBytes(8).toString("hex")}`;
    const labels = {
      ...ctx.labels,
      [LabelKey.managed]: "true",
      [LabelKey.kind]: instanceIdentityKind,
    };
    // The fill container is made while the staging container is created.
    try {
      const volume = await ctx.runtime.volumes.create(name, labels, signal);
      const credentials = new InstanceCredentials(ctx, name);
      credentials.#directory = writableHere(volume.mountpoint);
      if (credentials.#directory === undefined) {
        credentials.#filler = credentials.createFiller(name, signal);
        credentials.#filler.catch(() => undefined);
      }
      return credentials;
    } catch (error) {
      signal.throwIfAborted();
      ctx.logger.debug("identity-volume-unavailable", { error: errorMessage(error) });
      return new InstanceCredentials(ctx, undefined);
    }
  }

  get env(): EnvVar[] {
    return instanceIdentityEnv();
  }

  get mounts(): VolumeMount[] {
    return this.#volume
      ? [{ name: this.#volume, target: instanceIdentityDir, readOnly: true }]
      : [];
  }

  /** The engine refused the mounts: the files will be copied into the container. */
  async dropVolume(): Promise<void> {
    await this.release();
  }

  /** Issues the credentials for the running container and puts them in place. */
  async finish(
    container: Container,
    identity: { containerGuid: string; organizationalUnits: readonly string[] },
    signal: AbortSignal,
  ): Promise<void> {
    const { ip } = await container.networkAddresses();
    const issued = await this.ctx.identities.issue({ ...identity, containerIp: ip });
    const files = (prefix: string) =>
      this.ctx.archives.smallFilesTar([
        {
          path: `${prefix}instance.crt`,
          content: Buffer.from(issued.certPem),
          mode: 0o644,
          uid: 0,
          gid: 0,
        },
        {
          path: `${prefix}instance.key`,
          content: Buffer.from(issued.keyPem),
          mode: 0o644,
          uid: 0,
          gid: 0,
        },
      ]);
    if (this.#volume === undefined) {
      await container.putArchive(instanceIdentityDir, Readable.from([files("")]), { signal });
      return;
    }
    if (this.#directory !== undefined) {
      const written = writeVolumeFiles(
        this.#directory,
        [
          { name: "instance.crt", content: Buffer.from(issued.certPem) },
          { name: "instance.key", content: Buffer.from(issued.keyPem) },
        ],
        new Date(),
      );
      if (written) return;
    }
    const filling = this.#filler ?? this.createFiller(this.#volume, signal);
    this.#filler = undefined;
    const filler = await filling;
    try {
      await filler.putArchive("/", Readable.from([files("restager-fill/")]), { signal });
    } finally {
      await this.removeFiller(filler);
    }
  }

  /** A container that is never started, mounting the volume writable at /restager-fill. */
  private createFiller(volume: string, signal: AbortSignal): Promise<Container> {
    return this.ctx.runtime.createUnstarted(
      {
        image: this.ctx.image,
        env: [],
        labels: { ...this.ctx.labels, [LabelKey.kind]: "dependency-fill" },
        network: "none",
        volumes: [{ name: volume, target: "/restager-fill", readOnly: false }],
      },
      signal,
    );
  }

  private async removeFiller(filler: Container): Promise<void> {
    await filler.remove().catch((error: unknown) => {
      this.ctx.logger.debug("fill-container-remove-failed", { error: errorMessage(error) });
    });
  }

  /** Removes the volume (once no container uses it); a kept container keeps it. */
  async release(): Promise<void> {
    const unused = this.#filler;
    this.#filler = undefined;
    const filler = await unused?.catch(() => undefined);
    if (filler) await this.removeFiller(filler);
    const name = this.#volume;
    this.#volume = undefined;
    if (name === undefined) return;
    await this.ctx.runtime.volumes.remove(name).catch((error: unknown) => {
      this.ctx.logger.debug("identity-volume-remove-failed", { name, error: errorMessage(error) });
    });
  }
}

/**
 * The volume's directory when this process may write into it (root, the engine on this host):
 * the credentials then go straight there (src/launch/volume-files.ts), with no fill container
 * and no engine request; undefined otherwise.
 */
function writableHere(mountpoint: string | undefined): string | undefined {
  if (mountpoint === undefined) return undefined;
  try {
    accessSync(mountpoint, constants.W_OK);
    return mountpoint;
  } catch {
    return undefined;
  }
}
