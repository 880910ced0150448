import type { UploadSettledEvent, SpooledArtifact } from "../diego/steps/step-context.js";
import { ArtifactKeeper, isDroplet, type KeptArtifact } from "./kept-artifacts.js";

export interface ArtifactRetentionOptions {
  /** Where artifacts are kept: always with keepArtifacts, else only those whose upload failed. */
  outputDir: string;
  keepArtifacts: boolean;
  /** Keep the droplet in `outputDir` even once uploaded (an image is built from it). */
  keepDroplet?: boolean | undefined;
  /** Told of each settled artifact (see RestageDeps.onArtifact). */
  onKept?: ((artifact: KeptArtifact) => void) | undefined;
  /** Told where the droplet is kept as soon as it is, while it is still being uploaded. */
  onDropletKept?: ((droplet: KeptDropletFile) => void) | undefined;
}

/** The droplet kept on disk, with the digests its upload step computed. */
export interface KeptDropletFile {
  path: string;
  sizeBytes: number;
  md5Base64: string;
  sha256Base64: string;
}

/**
 * Which settled artifacts a restage keeps on disk: what ArtifactKeeper keeps (everything, or
 * only failed uploads), and the droplet always when `keepDroplet`.
 */
export class ArtifactRetention {
  readonly artifacts: KeptArtifact[] = [];
  readonly #some: ArtifactKeeper;
  readonly #all: ArtifactKeeper | undefined;
  readonly #onKept: ((artifact: KeptArtifact) => void) | undefined;
  readonly #onDropletKept: ((droplet: KeptDropletFile) => void) | undefined;

  constructor(options: ArtifactRetentionOptions) {
    this.#some = new ArtifactKeeper(options.outputDir, options.keepArtifacts);
    const keepDroplet = options.keepDroplet === true && !options.keepArtifacts;
    this.#all = keepDroplet ? new ArtifactKeeper(options.outputDir, true) : undefined;
    this.#onKept = options.onKept;
    this.#onDropletKept = options.onDropletKept;
  }

  readonly onUploadSpooled = (event: SpooledArtifact): void => {
    const droplet = isDroplet(event);
    const keeper = (droplet ? this.#all : undefined) ?? this.#some;
    const copy = keeper.onUploadSpooled(event);
    const tell = this.#onDropletKept;
    if (!droplet || copy === undefined || tell === undefined) return;
    const { sizeBytes, md5Base64, sha256Base64 } = event.file;
    // A failed copy is raised by onUploadSettled.
    copy.then(
      (path) => tell({ path, sizeBytes, md5Base64, sha256Base64 }),
      () => undefined,
    );
  };

  readonly onUploadSettled = async (event: UploadSettledEvent): Promise<void> => {
    const keeper = (isDroplet(event) ? this.#all : undefined) ?? this.#some;
    await keeper.onUploadSettled(event);
    const kept = keeper.artifacts.at(-1);
    if (!kept) return;
    this.artifacts.push(kept);
    this.#onKept?.(kept);
  };
}
