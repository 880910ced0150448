/**
 * The image's droplet layer planned while the droplet is still being uploaded: restage keeps the
 * droplet on disk as soon as it is spooled (RestageDeps.onDropletKept), and reading it (inflate,
 * re-root, hash, spool the layer) then overlaps the upload instead of following the staging.
 * The task's lifecycle, which the image holds too, is fetched (revalidated) meanwhile as well.
 * The image build takes both (AfterStaging.plannedDroplet, .lifecycle); release() frees them
 * whatever became of them (no image, a failed staging, a cancellation).
 */
import type { TaskDefinition } from "../../diego/task-definition.js";
import type { DownloadedFile, Downloader } from "../../http/ports.js";
import { releasePlanned } from "../../image/build-image.js";
import { fetchLifecycle } from "../../image/lifecycle-source.js";
import type { PlanCache } from "../../image/plan-cache.js";
import type { PlannedLayer } from "../../image/planned-layer.js";
import type { KeptDropletFile } from "../../restage/artifact-retention.js";
import { planDropletAhead } from "../image/build-and-push.js";

export class DropletAhead {
  #planned: { path: string; layer: Promise<PlannedLayer> } | undefined;
  #lifecycle: Promise<DownloadedFile> | undefined;

  constructor(
    private readonly wanted: boolean,
    private readonly context: {
      plans?: PlanCache | undefined;
      definition: TaskDefinition;
      downloader: Downloader;
      env: NodeJS.ProcessEnv;
      signal: AbortSignal;
    },
  ) {}

  /** For RestageDeps.onDropletKept; undefined when no image is built. */
  get onKept(): ((droplet: KeptDropletFile) => void) | undefined {
    if (!this.wanted) return undefined;
    return (droplet) => {
      // A droplet uploaded twice: the first plan is dropped, the last droplet is the image's.
      void releasePlanned(this.#planned?.layer);
      const digests = {
        sizeBytes: droplet.sizeBytes,
        md5Hex: Buffer.from(droplet.md5Base64, "base64").toString("hex"),
        sha256Hex: Buffer.from(droplet.sha256Base64, "base64").toString("hex"),
      };
      const layer = planDropletAhead({ path: droplet.path, digests }, this.context);
      // Its failure is the image build's to report, when it takes the plan.
      layer.catch(() => undefined);
      this.#planned = { path: droplet.path, layer };
      const { definition, downloader, signal } = this.context;
      this.#lifecycle ??= fetchLifecycle(definition, downloader, signal);
      this.#lifecycle.catch(() => undefined);
    };
  }

  /** The lifecycle being fetched, once the droplet was kept; the image build releases it too. */
  get lifecycle(): Promise<DownloadedFile> | undefined {
    return this.#lifecycle;
  }

  get planned(): { path: string; layer: Promise<PlannedLayer> } | undefined {
    return this.#planned;
  }

  async release(): Promise<void> {
    const planned = this.#planned;
    const lifecycle = this.#lifecycle;
    this.#planned = undefined;
    this.#lifecycle = undefined;
    await releasePlanned(planned?.layer);
    // Releasing twice is harmless (DownloadedFile.release).
    await lifecycle?.then(
      (file) => file.release(),
      () => undefined,
    );
  }
}
