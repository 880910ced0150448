/**
 * Makes a read-only volume ready for each downloaded cached dependency: reuses complete ones,
 * claims and fills missing ones (all in one fill container), and waits for those another
 * restager is filling. Dependencies with the same cache key and body share one volume.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { FetchedDependency } from "./dependency-downloads.js";
import { dependencyVolumeName } from "./dependency-volume-name.js";
import type { VolumeClaims, VolumeState } from "./volume-claims.js";
import { fillVolumes, type FillContext, type WantedVolume } from "./volume-fill.js";
import { cancellation } from "../core/cancellation.js";

export interface VolumeContext extends FillContext {
  pollMs: number;
  maxWaitMs: number;
}

export interface ProvidedVolumes {
  /** Complete volumes, by dependency. */
  ready: Map<FetchedDependency, string>;
  /** Dependencies whose volume another restager did not finish in time: copy them in. */
  late: FetchedDependency[];
}

/**
 * Rejects with DependencyExpandError when an archive cannot be expanded, with a cancellation,
 * or with the engine's error (the caller then copies everything in instead).
 */
export async function provideVolumes(
  fetched: readonly FetchedDependency[],
  ctx: VolumeContext,
  signal: AbortSignal,
): Promise<ProvidedVolumes> {
  const byName = new Map<string, FetchedDependency[]>();
  for (const item of fetched) {
    const name = dependencyVolumeName(item.dependency.cacheKey, item.sha256Hex);
    byName.set(name, [...(byName.get(name) ?? []), item]);
  }
  const ready = new Set<string>();
  let pending = [...byName.keys()];
  const deadline = Date.now() + ctx.maxWaitMs;
  for (;;) {
    const states = await ctx.claims.survey(pending, signal);
    const owned = await claimAll(pending, states, byName, ctx.claims, signal);
    const filled = owned.length > 0 ? await fillVolumes(owned, ctx, signal) : [];
    for (const name of pending) if (states.get(name)?.kind === "complete") ready.add(name);
    for (const volume of filled) ready.add(volume.name);
    pending = pending.filter((name) => !ready.has(name));
    if (pending.length === 0 || Date.now() >= deadline) break;
    ctx.logger.debug("dependency-volumes-waiting", { volumes: pending });
    await delay(ctx.pollMs, undefined, { signal }).catch(() => {
      throw cancellation(signal);
    });
  }
  return {
    ready: new Map(
      [...ready].flatMap((name) => (byName.get(name) ?? []).map((item) => [item, name] as const)),
    ),
    late: pending.flatMap((name) => byName.get(name) ?? []),
  };
}

/** Claims every absent or abandoned volume; returns those this restage now fills. */
async function claimAll(
  names: readonly string[],
  states: Map<string, VolumeState>,
  byName: Map<string, FetchedDependency[]>,
  claims: VolumeClaims,
  signal: AbortSignal,
): Promise<WantedVolume[]> {
  const claimable = names.flatMap((name) => {
    const state = states.get(name);
    const fetched = byName.get(name)?.[0];
    if (!state || !fetched || state.kind === "complete" || state.kind === "busy") return [];
    return [{ name, fetched, state }];
  });
  const settled = await Promise.allSettled(
    claimable.map((c) => claims.claim(c.name, c.fetched.dependency.cacheKey, c.state, signal)),
  );
  const owned = claimable
    .filter((_, index) => {
      const result = settled[index];
      return result?.status === "fulfilled" && result.value;
    })
    .map(({ name, fetched }) => ({ name, fetched }));
  const failure = settled.find((result) => result.status === "rejected");
  if (failure) {
    // Nobody must wait for volumes this restage claimed but will not fill.
    await claims.release(owned.map((volume) => volume.name));
    throw failure.reason;
  }
  return owned;
}
