import type { UploadSettledEvent } from "../diego/steps/step-context.js";
import { ArtifactKeeper, isDroplet, type KeptArtifact } from "./kept-artifacts.js";

export interface ArtifactRetentionOptions {
  /** Where artifacts are kept: always with keepArtifacts, else only those whose upload failed. */
  outputDir: string;
  keepArtifacts: boolean;
  /** Keep the droplet in `outputDir` even once uploaded (an image is built from it). */
  keepDroplet?: boolean | undefined;
  /** Told of each settled artifact (see RestageDeps.onArtifact). */
  onKept?: ((artifact: KeptArtifact) => void) | undefined;
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

  constructor(options: ArtifactRetentionOptions) {
    this.#some = new ArtifactKeeper(options.outputDir, options.keepArtifacts);
    const keepDroplet = options.keepDroplet === true && !options.keepArtifacts;
    this.#all = keepDroplet ? new ArtifactKeeper(options.outputDir, true) : undefined;
    this.#onKept = options.onKept;
  }

  readonly onUploadSettled = async (event: UploadSettledEvent): Promise<void> => {
    const keeper = (isDroplet(event) ? this.#all : undefined) ?? this.#some;
    await keeper.onUploadSettled(event);
    const kept = keeper.artifacts.at(-1);
    if (!kept) return;
    this.artifacts.push(kept);
    this.#onKept?.(kept);
  };
}
