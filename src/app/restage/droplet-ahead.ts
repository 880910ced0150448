/**
 * The image's droplet layer made ready while the droplet is still being uploaded: restage keeps
 * the droplet on disk as soon as it is spooled (RestageDeps.onDropletKept), and reading it
 * (inflate, re-root, hash, spool the layer) then overlaps the upload instead of following the
 * staging; so does loading that layer into the engine, in a carrier image (droplet-carrier.ts),
 * once it is read and the task's lifecycle (which the image holds too) is fetched. The image
 * build takes all three (AfterStaging.plannedDroplet, .lifecycle); release() frees them
 * whatever became of them (no image, a failed staging, a cancellation), and removes the carrier:
 * it is called once the image is built, which then holds the layer.
 *
 * When the result file is read while the last uploads are sent (restage's early release), the
 * image itself is built then too, under a temporary name (pending-tag.ts): the image build after
 * staging only names it, if the result it was built from is the task's. release() removes the
 * temporary name, and with it the image when the build after staging did not take it. No carrier
 * is loaded then (the result is known by the time the layer is planned): the image holds it.
 */
import { tarCodec } from "../../archive/tar-codec.js";
import type { AppIdentity } from "../../diego/app-identity.js";
import type { TaskRequest } from "../../diego/task-definition.js";
import type { ImageStore } from "../../container/image-store.js";
import type { DownloadedFile, Downloader } from "../../http/ports.js";
import { buildImage, releasePlanned, type BuiltImage } from "../../image/build-image.js";
import { imageTime } from "../../image/image-time.js";
import { removeDropletCarrier, type DropletCarrier } from "../../image/droplet-carrier.js";
import { fetchLifecycle } from "../../image/lifecycle-source.js";
import type { PlanCache } from "../../image/plan-cache.js";
import type { PlannedLayer } from "../../image/planned-layer.js";
import { LabelKey } from "../../core/labels.js";
import { currentOwner, formatOwner } from "../../owner/run-owner.js";
import type { KeptDropletFile } from "../../restage/artifact-retention.js";
import type { TaskResult } from "../../restage/read-result-file.js";
import { loadCarrierAhead, planDropletAhead } from "../image/build-and-push.js";
import { stagedImageInput } from "./staged-image-input.js";
import { pendingTag } from "./pending-tag.js";

export interface PlannedDroplet {
  path: string;
  layer: Promise<PlannedLayer>;
  /** The layer loaded into the engine; undefined when that failed or could not be done. */
  carrier: Promise<DropletCarrier | undefined>;
  /** The image built ahead from this droplet, once the result was read; undefined if it failed. */
  ahead?: Promise<AheadImage | undefined> | undefined;
}

/** An image built ahead under a temporary name, and the result file text it was built from. */
export interface AheadImage {
  built: BuiltImage;
  resultText: string;
}

interface AheadContext {
  plans?: PlanCache | undefined;
  request: TaskRequest;
  app: AppIdentity;
  downloader: Downloader;
  images: ImageStore;
  stackImage: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export class DropletAhead {
  #planned: PlannedDroplet | undefined;
  #lifecycle: Promise<DownloadedFile> | undefined;
  /** Every carrier started (a droplet uploaded twice starts two), to remove them all. */
  readonly #carriers: Promise<DropletCarrier | undefined>[] = [];
  #result: TaskResult | undefined;
  #kept: KeptDropletFile | undefined;
  /** Every image built ahead, by its temporary name, to remove those names. */
  readonly #aheads: { tag: string; built: Promise<AheadImage | undefined> }[] = [];
  /**
   * Aborted by release(): whatever is still being planned, fetched, loaded or built then serves
   * nobody (the staging failed, say, while the image was being built ahead), so the run does not
   * wait for it to finish.
   */
  readonly #stop = new AbortController();
  /** The caller's context, its signal also aborted by release() (#stop). */
  private readonly context: AheadContext;

  constructor(
    private readonly wanted: boolean,
    context: AheadContext,
  ) {
    this.context = { ...context, signal: AbortSignal.any([context.signal, this.#stop.signal]) };
  }

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
      const { request, downloader, signal } = this.context;
      this.#lifecycle ??= fetchLifecycle(request.definition, downloader, signal);
      this.#lifecycle.catch(() => undefined);
      const carrier = this.#loadCarrier(layer, this.#lifecycle);
      this.#carriers.push(carrier);
      this.#planned = { path: droplet.path, layer, carrier };
      this.#kept = droplet;
      this.#startAhead();
    };
  }

  /** For RestageDeps.onResult: the result read while the last uploads are sent. */
  get onResult(): ((result: TaskResult) => void) | undefined {
    if (!this.wanted) return undefined;
    return (result) => {
      this.#result = result;
      this.#startAhead();
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
    this.#stop.abort();
    const planned = this.#planned;
    const lifecycle = this.#lifecycle;
    const carriers = this.#carriers.splice(0);
    const aheads = this.#aheads.splice(0);
    this.#planned = undefined;
    this.#lifecycle = undefined;
    try {
      for (const ahead of aheads) {
        await ahead.built;
        // The image goes with it unless the build after staging named it.
        await this.context.images.untag(ahead.tag).catch(() => undefined);
      }
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

  /** Starts the image ahead once the droplet is kept and the result read, whichever is last. */
  #startAhead(): void {
    const [planned, kept, result, lifecycle] = [
      this.#planned,
      this.#kept,
      this.#result,
      this.#lifecycle,
    ];
    if (!planned || !kept || !result || !lifecycle || planned.ahead) return;
    const tag = pendingTag();
    planned.ahead = this.#buildAhead({ planned, kept, result, lifecycle, tag });
    this.#aheads.push({ tag, built: planned.ahead });
  }

  /** Undefined when it failed: the image is then built after staging, as without it. */
  async #buildAhead(ahead: {
    planned: PlannedDroplet;
    kept: KeptDropletFile;
    result: TaskResult;
    lifecycle: Promise<DownloadedFile>;
    tag: string;
  }): Promise<AheadImage | undefined> {
    const { request, app, stackImage, images, plans, env, signal } = this.context;
    const { planned, kept, result, tag } = ahead;
    try {
      const lifecycle = await ahead.lifecycle;
      const input = stagedImageInput({
        ...{ request, app, stackImage, droplet: kept, lifecyclePath: lifecycle.path },
        result: result.json,
      });
      const options = { ...input, plannedDroplet: planned.layer, carrier: planned.carrier };
      const built = await buildImage(
        { ...options, tags: [tag], time: imageTime(env), signal },
        { images, plans, tar: tarCodec },
      );
      return { built, resultText: result.text };
    } catch {
      return undefined;
    }
  }

  /**
   * A failure only means the image streams the layer itself: it resolves undefined then. So does
   * a result read while the layer was planned (restage's early release, the usual case): the
   * image built ahead then carries the layer in its own load, one load instead of two.
   */
  async #loadCarrier(
    layer: Promise<PlannedLayer>,
    lifecycle: Promise<DownloadedFile>,
  ): Promise<DropletCarrier | undefined> {
    try {
      const [droplet, lifecycleFile] = await Promise.all([layer, lifecycle]);
      if (this.#result !== undefined) return undefined;
      const labels = {
        [LabelKey.owner]: formatOwner(currentOwner()),
        [LabelKey.appGuid]: this.context.app.guid,
      };
      const input = { stackImage: this.context.stackImage, lifecyclePath: lifecycleFile.path };
      return await loadCarrierAhead({ ...input, droplet }, { ...this.context, labels });
    } catch {
      return undefined;
    }
  }
}
