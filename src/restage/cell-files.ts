/**
 * The files and env a cell adds to every container besides the task's own: the trusted system
 * certificates (system-certificates.ts) and the instance identity (instance-credentials.ts),
 * in the executor's order: CF_SYSTEM_CERT_PATH, then CF_INSTANCE_CERT and CF_INSTANCE_KEY,
 * after the task's env.
 */
import { randomBytes } from "node:crypto";
import type { Container, VolumeMount } from "../container/container.js";
import { InstanceCredentials } from "./instance-credentials.js";
import type { RestageDeps, RestageOptions } from "./restage-types.js";
import { stagingLabels } from "./staging-container-spec.js";
import { SystemCertificates, systemCertificatesEnv } from "./system-certificates.js";
import { defaultVolumeTiming } from "./volume-claims.js";
import type { EnvVar } from "../core/env-var.js";

export class CellFiles {
  private constructor(
    private readonly options: RestageOptions,
    private readonly certificates: SystemCertificates | undefined,
    private readonly identity: InstanceCredentials | undefined,
  ) {}

  static async prepare(
    options: RestageOptions,
    deps: RestageDeps,
    signal: AbortSignal,
  ): Promise<CellFiles> {
    const path = options.request.definition.trustedSystemCertificatesPath;
    const files = options.trustedCertificates;
    const { runtime, archives, logger, taskLog } = deps;
    const labels = stagingLabels(options, "dependency-fill");
    const certificates =
      path !== "" && files !== undefined
        ? await SystemCertificates.prepare(
            { files, target: path },
            {
              ...{ runtime, archives, logger, taskLog, image: options.image },
              fillLabels: labels,
              token: randomBytes(8).toString("hex"),
              timing: { ...defaultVolumeTiming, ...deps.volumeTiming },
            },
            signal,
          )
        : undefined;
    try {
      const identities = deps.identities;
      const identity = identities
        ? await InstanceCredentials.prepare(
            {
              runtime,
              archives,
              identities,
              image: options.image,
              labels: stagingLabels(options, "staging"),
              logger,
            },
            signal,
          )
        : undefined;
      return new CellFiles(options, certificates, identity);
    } catch (error) {
      await certificates?.release();
      throw error;
    }
  }

  get env(): EnvVar[] {
    const path = this.options.request.definition.trustedSystemCertificatesPath;
    return [
      ...(this.certificates ? systemCertificatesEnv(path) : []),
      ...(this.identity?.env ?? []),
    ];
  }

  get mounts(): VolumeMount[] {
    return [...(this.certificates?.mounts ?? []), ...(this.identity?.mounts ?? [])];
  }

  /** The engine refused the mounts: everything is copied in instead. */
  async dropVolumes(): Promise<void> {
    this.certificates?.dropVolume();
    await this.identity?.dropVolume();
  }

  /** Copies in what has no volume; issues the instance identity for the container. */
  async finish(container: Container, signal: AbortSignal): Promise<void> {
    await this.certificates?.finish(container, signal);
    const { request } = this.options;
    await this.identity?.finish(
      container,
      {
        containerGuid: request.taskGuid ?? this.options.runId,
        organizationalUnits: request.definition.certificateProperties?.organizationalUnit ?? [],
      },
      signal,
    );
  }

  /** After the container is gone (a kept container keeps its identity volume). */
  async release(containerRemoved: boolean): Promise<void> {
    await this.certificates?.release();
    if (containerRemoved) await this.identity?.release();
  }
}
