import { copyFile, link, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { UploadSettledEvent, SpooledArtifact } from "../diego/steps/step-context.js";
import { CannotWriteError } from "../errors.js";

export interface KeptArtifact {
  artifact: string;
  from: string;
  sizeBytes: number;
  md5Base64: string;
  sha256Base64: string;
  uploaded: boolean;
  /** Where the artifact was kept on the host, when it was. */
  path?: string | undefined;
}

/**
 * Keeps what the upload steps spooled: records every artifact, and copies it to `outputDir`
 * when asked to keep everything (`--no-upload`, `--output-dir`) or when its upload failed, so
 * nothing is lost. Keeping everything, the copy starts once the file is spooled, while it is
 * uploaded (a hard link when it can be: linkOrCopy).
 */
export class ArtifactKeeper {
  readonly artifacts: KeptArtifact[] = [];
  /** Copies started while uploading, by spooled file. */
  readonly #early = new Map<string, Promise<string>>();

  constructor(
    private readonly outputDir: string,
    private readonly keepAll: boolean,
  ) {}

  /** Keeping everything: starts the copy, and answers where it will be (else undefined). */
  onUploadSpooled(event: SpooledArtifact): Promise<string> | undefined {
    if (!this.keepAll) return undefined;
    const copy = this.keep(event);
    // Awaited (and its failure raised) once the upload settled.
    copy.catch(() => undefined);
    this.#early.set(event.file.path, copy);
    return copy;
  }

  readonly onUploadSettled = async (event: UploadSettledEvent): Promise<void> => {
    const uploaded = event.error === undefined && event.skipped !== true;
    const early = this.#early.get(event.file.path);
    this.#early.delete(event.file.path);
    const path = this.keepAll || !uploaded ? await (early ?? this.keep(event)) : undefined;
    this.artifacts.push({
      artifact: event.artifact,
      from: event.from,
      sizeBytes: event.file.sizeBytes,
      md5Base64: event.file.md5Base64,
      sha256Base64: event.file.sha256Base64,
      uploaded,
      path,
    });
  };

  find(artifact: string): KeptArtifact | undefined {
    return this.artifacts.find((kept) => kept.artifact === artifact);
  }

  private async keep(event: SpooledArtifact): Promise<string> {
    const name = fileNameFor(event);
    const target = join(this.outputDir, name);
    try {
      await mkdir(this.outputDir, { recursive: true });
      await linkOrCopy(event.file.path, target);
    } catch (error) {
      throw new CannotWriteError(`Cannot keep the ${event.artifact || "artifact"} at ${target}`, {
        cause: error,
        hint: "Choose a writable directory with --output-dir",
      });
    }
    return target;
  }
}

/**
 * The kept file is a second name of the spooled one when both are on one file system, so no byte
 * is copied (copying a 500 MB droplet took 1.4 s, while it was being uploaded); elsewhere it is a
 * copy. The spool is never written again, and removing its name leaves the kept one. An older
 * file at `to` is replaced, as a copy would overwrite it.
 */
async function linkOrCopy(from: string, to: string): Promise<void> {
  await rm(to, { force: true });
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

/** droplet → droplet.tgz, build artifacts cache → build-artifacts-cache.tgz, else the from name. */
function fileNameFor(event: SpooledArtifact): string {
  const base = event.artifact || event.from.split("/").pop() || "artifact";
  return `${base.toLowerCase().replace(/[^a-z0-9.]+/g, "-")}.tgz`;
}

/** Whether an artifact is the droplet: by artifact name, or by the path buildpack staging uses. */
export function isDroplet(artifact: { artifact: string; from: string }): boolean {
  return artifact.artifact === "droplet" || artifact.from === "/tmp/droplet";
}

/** The droplet among kept artifacts. */
export function findDroplet(artifacts: readonly KeptArtifact[]): KeptArtifact | undefined {
  return artifacts.find(isDroplet);
}
