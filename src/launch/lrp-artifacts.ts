/**
 * What a desired LRP itself says runs in its instances (diego-reference.md §4.3, §2.5): the
 * droplet is the `setup` download into the home directory (`to: "."`, artifact "droplet"), or
 * an EXCLUSIVE image layer (which the parser already turned into such a download); the
 * lifecycle is the cached dependency (or SHARED layer) extracted to /tmp/lifecycle.
 */
import { findActions, type DownloadAction } from "../diego/actions.js";
import type { DesiredLrp } from "../diego/desired-lrp.js";
import { lifecycleSource, type LifecycleSource } from "../image/lifecycle-source.js";
import type { Checksum } from "../core/checksums.js";

export interface ArtifactSource {
  url: string;
  cacheKey: string;
  checksum?: Checksum | undefined;
}

const homeTargets = new Set([".", "./", "/home/vcap", "/home/vcap/"]);

/** The droplet download of the LRP's setup; undefined when the setup downloads none. */
export function dropletSource(lrp: DesiredLrp): ArtifactSource | undefined {
  const downloads = lrp.setup ? findActions(lrp.setup, "download") : [];
  const droplet =
    downloads.find((download) => download.artifact === "droplet") ??
    downloads.find((download) => homeTargets.has(download.to));
  return droplet ? sourceOf(droplet) : undefined;
}

/** The lifecycle tarball the instances get at /tmp/lifecycle (cached dependency or download). */
export function lrpLifecycleSource(lrp: DesiredLrp): LifecycleSource | undefined {
  return lifecycleSource(lrp);
}

function sourceOf(download: DownloadAction): ArtifactSource {
  return { url: download.from, cacheKey: download.cacheKey, checksum: download.checksum };
}
