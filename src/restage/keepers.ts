import type { UploadSettledEvent } from "../diego/steps/step-context.js";
import { ArtifactKeeper, type KeptArtifact } from "./kept-artifacts.js";

export interface KeepersOptions {
  /** Where artifacts are kept: always with keepArtifacts, else only those whose upload failed. */
  outputDir: string;
  keepArtifacts: boolean;
  /** Keep the droplet in `outputDir` even once uploaded (an image is built from it). */
  keepDroplet?: boolean | undefined;
  /** Told of each settled artifact (see RestageDeps.onArtifact). */
  onKept?: ((artifact: KeptArtifact) => void) | undefined;
}

/** Keeps artifacts as ArtifactKeeper does, and the droplet always when `keepDroplet`. */
export class Keepers {
  readonly artifacts: KeptArtifact[] = [];
  readonly #some: ArtifactKeeper;
  readonly #all: ArtifactKeeper | undefined;
  readonly #onKept: ((artifact: KeptArtifact) => void) | undefined;

  constructor(options: KeepersOptions) {
    this.#some = new ArtifactKeeper(options.outputDir, options.keepArtifacts);
    const keepDroplet = options.keepDroplet === true && !options.keepArtifacts;
    this.#all = keepDroplet ? new ArtifactKeeper(options.outputDir, true) : undefined;
    this.#onKept = options.onKept;
  }

  readonly onUploadSettled = async (event: UploadSettledEvent): Promise<void> => {
    const isDroplet = event.artifact === "droplet" || event.from === "/tmp/droplet";
    const keeper = (isDroplet ? this.#all : undefined) ?? this.#some;
    await keeper.onUploadSettled(event);
    const kept = keeper.artifacts.at(-1);
    if (!kept) return;
    this.artifacts.push(kept);
    this.#onKept?.(kept);
  };
}
