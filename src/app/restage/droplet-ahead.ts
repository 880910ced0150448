/**
 * The image's droplet layer made ready while the droplet is still being uploaded: restage keeps
 * the droplet on disk as soon as it is spooled (RestageDeps.onDropletKept), and reading it
 * (inflate, re-root, hash, spool the layer) then overlaps the upload instead of following the
 * staging; so does loading that layer into the engine, in a carrier image (droplet-carrier.ts),
 * once it is read and the task's lifecycle (which the image holds too) is fetched. The image
 * build takes all three (AfterStaging.plannedDroplet, .lifecycle); release() frees them
 * whatever became of them (no image, a failed staging, a cancellation), and removes the carrier:
 * it is called once the image is built, which then holds the layer.
 */
import type { TaskDefinition } from "../../diego/task-definition.js";
import type { ImageStore } from "../../container/image-store.js";
import type { DownloadedFile, Downloader } from "../../http/ports.js";
import { releasePlanned } from "../../image/build-image.js";
import { removeDropletCarrier, type DropletCarrier } from "../../image/droplet-carrier.js";
import { fetchLifecycle } from "../../image/lifecycle-source.js";
import type { PlanCache } from "../../image/plan-cache.js";
import type { PlannedLayer } from "../../image/planned-layer.js";
import { LabelKey } from "../../core/labels.js";
import { currentOwner, formatOwner } from "../../owner/run-owner.js";
import type { KeptDropletFile } from "../../restage/artifact-retention.js";
import { loadCarrierAhead, planDropletAhead } from "../image/build-and-push.js";

export interface PlannedDroplet {
  path: string;
  layer: Promise<PlannedLayer>;
  /** The layer loaded into the engine; undefined when that failed or could not be done. */
  carrier: Promise<DropletCarrier | undefined>;
}

export class DropletAhead {
  #planned: PlannedDroplet | undefined;
  #lifecycle: Promise<DownloadedFile> | undefined;
  /** Every carrier started (a droplet uploaded twice starts two), to remove them all. */
  readonly #carriers: Promise<DropletCarrier | undefined>[] = [];

  constructor(
    private readonly wanted: boolean,
    private readonly context: {
      plans?: PlanCache | undefined;
      definition: TaskDefinition;
      downloader: Downloader;
      images: ImageStore;
      stackImage: string;
      /** The app's guid, for the carrier's labels (with this run's owner). */
      appGuid: string;
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
      const { definition, downloader, signal } = this.context;
      this.#lifecycle ??= fetchLifecycle(definition, downloader, signal);
      this.#lifecycle.catch(() => undefined);
      const carrier = this.#loadCarrier(layer, this.#lifecycle);
      this.#carriers.push(carrier);
      this.#planned = { path: droplet.path, layer, carrier };
    };
  }

  /** The lifecycle being fetched, once the droplet was kept; the image build releases it too. */
  get lifecycle(): Promise<DownloadedFile> | undefined {
    return this.#lifecycle;
  }

  get planned(): PlannedDroplet | undefined {
    return this.#planned;
  }

  async release(): Promise<void> {
    const planned = this.#planned;
    const lifecycle = this.#lifecycle;
    const carriers = this.#carriers.splice(0);
    this.#planned = undefined;
    this.#lifecycle = undefined;
    try {
      for (const carrier of carriers) {
        const loaded = await carrier;
        await removeDropletCarrier(this.context.images, loaded).catch(() => undefined);
      }
    } finally {
      await releasePlanned(planned?.layer);
      // Releasing twice is harmless (DownloadedFile.release).
      await lifecycle?.then(
        (file) => file.release(),
        () => undefined,
      );
    }
  }

  /** A failure only means the image streams the layer itself: it resolves undefined then. */
  async #loadCarrier(
    layer: Promise<PlannedLayer>,
    lifecycle: Promise<DownloadedFile>,
  ): Promise<DropletCarrier | undefined> {
    try {
      const [droplet, lifecycleFile] = await Promise.all([layer, lifecycle]);
      const labels = {
        [LabelKey.owner]: formatOwner(currentOwner()),
        [LabelKey.appGuid]: this.context.appGuid,
      };
      const input = { stackImage: this.context.stackImage, lifecyclePath: lifecycleFile.path };
      return await loadCarrierAhead({ ...input, droplet }, { ...this.context, labels });
    } catch {
      return undefined;
    }
  }
}
