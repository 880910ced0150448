/**
 * Fills the dependency volumes this restage claimed: one container that is never started
 * mounts them all at `/restager-fill/<i>`, one archive upload expands every dependency into
 * its volume (owned by root, as Diego's read-only mounts are), then each volume's marker is
 * created, while the volumes are still mounted, so nobody can take a finished fill for an
 * abandoned one.
 */
import { TarPartError, type Archives } from "../archive/ports.js";
import type { Container, ContainerRuntime, ContainerSpec } from "../container/container.js";
import { errorMessage } from "../diego/steps/step-errors.js";
import type { FetchedDependency } from "./dependency-downloads.js";
import { DependencyLabel, markerVolumeLabels, markerVolumeName } from "./dependency-volume-name.js";
import type { VolumeClaims } from "./volume-claims.js";
import { cancellation } from "../core/cancellation.js";
import type { Logger } from "../core/events.js";

export interface WantedVolume {
  name: string;
  fetched: FetchedDependency;
}

export interface FillContext {
  runtime: ContainerRuntime;
  archives: Archives;
  logger: Logger;
  claims: VolumeClaims;
  /** The stack image (present already: the fill container runs nothing). */
  image: string;
  /** The fill container's labels (run id, app, test labels, kind). */
  labels: Record<string, string>;
}

/** A dependency's archive could not be expanded: Diego's `Downloading <name> failed`. */
export class DependencyExpandError extends Error {
  constructor(
    readonly fetched: FetchedDependency,
    cause: unknown,
  ) {
    super(errorMessage(cause), { cause });
    this.name = new.target.name;
  }
}

const root = { uid: 0, gid: 0 };

/**
 * Fills `owned` (claimed by this restage) and returns those filled. A failure removes the
 * claimed volumes again, so other restagers need not wait for them.
 */
export async function fillVolumes(
  owned: readonly WantedVolume[],
  ctx: FillContext,
  signal: AbortSignal,
): Promise<WantedVolume[]> {
  let filled: WantedVolume[] = [];
  let done = false;
  const helper = await ctx.runtime
    .createUnstarted(helperSpec(owned, ctx), signal)
    .catch(async (error: unknown) => {
      await removeVolumes(owned, ctx);
      throw error;
    });
  try {
    const mine = await Promise.all(owned.map((o) => ctx.claims.stillOwned(o.name, signal)));
    filled = owned.filter((_, index) => mine[index]);
    await putAll(helper, owned, mine, ctx, signal);
    await Promise.all(filled.map((volume) => markComplete(volume.name, ctx, signal)));
    ctx.logger.debug("dependency-volumes-filled", { volumes: filled.map((v) => v.name) });
    done = true;
    return filled;
  } finally {
    await helper.remove().catch((error: unknown) => {
      ctx.logger.debug("fill-container-remove-failed", { error: errorMessage(error) });
    });
    if (!done) await removeVolumes(filled, ctx);
  }
}

function helperSpec(owned: readonly WantedVolume[], ctx: FillContext): ContainerSpec {
  return {
    image: ctx.image,
    env: [],
    labels: { ...ctx.labels, [DependencyLabel.fillToken]: ctx.claims.token },
    network: "none",
    volumes: owned.map((volume, index) => ({
      name: volume.name,
      target: `/restager-fill/${index}`,
      readOnly: false,
    })),
  };
}

async function putAll(
  helper: Container,
  owned: readonly WantedVolume[],
  mine: readonly boolean[],
  ctx: FillContext,
  signal: AbortSignal,
): Promise<void> {
  const parts = owned.flatMap((volume, index) =>
    mine[index]
      ? [{ filePath: volume.fetched.file.path, owner: root, prefix: `restager-fill/${index}` }]
      : [],
  );
  if (parts.length === 0) return;
  const tar = ctx.archives.combinedTar(parts);
  let partError: unknown;
  tar.once("error", (error) => (partError = error));
  try {
    await helper.putArchive("/", tar, { signal });
  } catch (error) {
    if (signal.aborted) throw cancellation(signal);
    if (partError instanceof TarPartError) {
      const failed = owned.filter((_, index) => mine[index])[partError.index];
      if (failed) throw new DependencyExpandError(failed.fetched, partError.cause);
    }
    throw error;
  } finally {
    tar.destroy();
  }
}

/** Replaces a marker left by an earlier fill of the same name, then marks this fill. */
async function markComplete(name: string, ctx: FillContext, signal: AbortSignal): Promise<void> {
  const volumes = ctx.runtime.volumes;
  const marker = markerVolumeName(name);
  const existing = await volumes.inspect(marker, signal);
  if (existing && existing.labels[DependencyLabel.fillToken] !== ctx.claims.token) {
    await volumes.remove(marker, signal);
  }
  await volumes.create(marker, markerVolumeLabels(name, ctx.claims.token), signal);
}

async function removeVolumes(volumes: readonly WantedVolume[], ctx: FillContext): Promise<void> {
  for (const { name } of volumes) {
    await ctx.runtime.volumes.remove(name).catch((error: unknown) => {
      ctx.logger.debug("dependency-volume-remove-failed", { name, error: errorMessage(error) });
    });
  }
}
