/**
 * Who fills a dependency volume, decided through the engine alone (several restagers may share
 * one engine without sharing a disk):
 *
 * - complete: the volume and its marker exist and carry the same fill token;
 * - absent: whoever creates it first owns the fill (volume creation is atomic and keeps the
 *   creator's labels, so a unique token in them tells the winner);
 * - busy: it exists, incomplete, and is being filled (a container mounts it, or its creator
 *   has not mounted it yet: younger than `claimGraceMs`): wait for it;
 * - abandoned: incomplete, older than that, and mounted by nothing but fill containers older
 *   than `staleFillMs` (left by a killed restager): those are removed and it is refilled.
 *
 * Where the filler's process can be judged (its owner label names a process of this machine,
 * src/owner/run-owner.ts), that answer wins over the clock: a live filler's volume is busy
 * however old, a dead one's is abandoned at once.
 */
import type { ContainerRuntime, VolumeInfo } from "../container/container.js";
import { LabelKey } from "../core/labels.js";
import { ownerState } from "../owner/run-owner.js";
import {
  DependencyLabel,
  dependencyKind,
  dependencyVolumeLabels,
  markerVolumeName,
} from "./dependency-volume-name.js";

export interface VolumeTiming {
  /** How long a claimed volume may wait for its filler to mount it. */
  claimGraceMs: number;
  /** Fill containers older than this are taken for leftovers of a killed restager. */
  staleFillMs: number;
  /** Poll interval while another restager fills a volume. */
  pollMs: number;
  /** How long to wait for others' fills before copying the dependency in instead. */
  maxWaitMs: number;
}

export const defaultVolumeTiming: VolumeTiming = {
  claimGraceMs: 60_000,
  staleFillMs: 10 * 60_000,
  pollMs: 250,
  maxWaitMs: 15 * 60_000,
};

export type VolumeState =
  { kind: "complete" | "absent" | "busy" } | { kind: "abandoned"; staleFillTokens: string[] };

export const fillContainerKind = "dependency-fill";

export class VolumeClaims {
  constructor(
    private readonly runtime: Pick<ContainerRuntime, "volumes" | "removeLabelled">,
    /** Unique to this restage. */
    readonly token: string,
    private readonly timing: VolumeTiming,
  ) {}

  /** The state of each volume, from one listing plus a look at the incomplete ones. */
  async survey(names: readonly string[], signal: AbortSignal): Promise<Map<string, VolumeState>> {
    const listed = await this.runtime.volumes.list(LabelKey.kind, dependencyKind, signal);
    const byName = new Map(listed.map((volume) => [volume.name, volume]));
    const states = await Promise.all(
      names.map(async (name): Promise<[string, VolumeState]> => {
        const volume = byName.get(name);
        if (!volume) return [name, { kind: "absent" }];
        const marker = byName.get(markerVolumeName(name));
        if (marker && tokenOf(marker) === tokenOf(volume) && tokenOf(volume) !== "") {
          return [name, { kind: "complete" }];
        }
        return [name, await this.judge(volume, signal)];
      }),
    );
    return new Map(states);
  }

  /**
   * Clears an abandoned volume, then tries to create it: true when this restage now owns the
   * fill. False when another restage got it first, or the volume is still in use.
   */
  async claim(volume: { name: string; cacheKey: string; state: VolumeState }, signal: AbortSignal) {
    const { name, cacheKey, state } = volume;
    const volumes = this.runtime.volumes;
    if (state.kind === "abandoned") {
      for (const token of state.staleFillTokens) {
        await this.runtime.removeLabelled(DependencyLabel.fillToken, token);
      }
      if (!(await volumes.remove(name, signal))) return false;
    }
    const labels = dependencyVolumeLabels(cacheKey, this.token);
    const created = await volumes.create(name, labels, signal);
    return tokenOf(created) === this.token;
  }

  /** Whether `name` still carries this restage's token (nobody took it over meanwhile). */
  async stillOwned(name: string, signal: AbortSignal): Promise<boolean> {
    const volume = await this.runtime.volumes.inspect(name, signal);
    return volume !== undefined && tokenOf(volume) === this.token;
  }

  /** Removes volumes this restage claimed and will not fill (best effort). */
  async release(names: readonly string[]): Promise<void> {
    for (const name of names) await this.runtime.volumes.remove(name).catch(() => false);
  }

  private async judge(volume: VolumeInfo, signal: AbortSignal): Promise<VolumeState> {
    const now = Date.now();
    const owner = ownerState(volume.labels[LabelKey.owner]);
    if (owner === "alive") return { kind: "busy" };
    const young = now - volume.createdAt.getTime() < this.timing.claimGraceMs;
    if (owner === "unknown" && young) return { kind: "busy" };
    const users = await this.runtime.volumes.users(volume.name, signal);
    const stale = users.filter((user) => {
      if (user.labels[LabelKey.kind] !== fillContainerKind) return false;
      const filler = ownerState(user.labels[LabelKey.owner]);
      if (filler !== "unknown") return filler === "gone";
      return now - user.createdAt.getTime() > this.timing.staleFillMs;
    });
    if (stale.length < users.length) return { kind: "busy" };
    const staleFillTokens = stale.map((user) => user.labels[DependencyLabel.fillToken] ?? "");
    return { kind: "abandoned", staleFillTokens: staleFillTokens.filter((t) => t !== "") };
  }
}

function tokenOf(volume: VolumeInfo): string {
  return volume.labels[DependencyLabel.fillToken] ?? "";
}
