/** What Cloud Controller kept from uploads: droplets and build artifacts caches, on disk. */
import { rename } from "node:fs/promises";
import { join } from "node:path";
import { registerBlob } from "./blob-file.js";
import type { Blobstore } from "./blobstore.js";
import type { Digests } from "./digests.js";
import type { FormFile } from "./multipart-form.js";

/** `md5` is "" when the fake does not record MD5s and CC checked the upload's SHA-256. */
export interface UploadedArtifact extends Digests {
  kind: "droplet" | "buildArtifacts";
  /** Droplet uploads: the guid in the CC path (app guid in v2, build guid in v4). Caches: the app guid. */
  guid: string;
  /** Caches uploaded to the v4 endpoint carry the stack. */
  stack: string | undefined;
  /** The CC path the upload was posted to. */
  endpoint: string;
  /** The multipart filename (cc-uploader sends droplet.tgz / buildpack_cache.tgz). */
  filename: string;
  /** Where the fake stored the bytes (valid until the fake is disposed). */
  filePath: string;
  contentMd5: string | undefined;
  contentDigest: string | undefined;
}

export type ArtifactInfo = Pick<
  UploadedArtifact,
  "kind" | "guid" | "stack" | "endpoint" | "contentMd5" | "contentDigest"
>;

export class ArtifactStore {
  readonly uploads: UploadedArtifact[] = [];
  readonly #dir: string;
  readonly #blobstore: Blobstore;

  constructor(dir: string, blobstore: Blobstore) {
    this.#dir = dir;
    this.#blobstore = blobstore;
  }

  /**
   * Takes ownership of the uploaded temp file. A droplet becomes downloadable as blob
   * `cc-droplets/<guid>`; a cache becomes the app's build artifacts cache.
   */
  async keep(file: FormFile, info: ArtifactInfo): Promise<UploadedArtifact> {
    const filePath = join(this.#dir, `${info.kind}-${info.guid}-${this.uploads.length + 1}.tgz`);
    await rename(file.filePath, filePath);
    const artifact: UploadedArtifact = {
      ...info,
      ...file.digests,
      filename: file.filename,
      filePath,
    };
    if (info.kind === "droplet") {
      await this.#blobstore.add(`cc-droplets/${info.guid}`, filePath, file.digests);
    } else {
      this.#blobstore.setBuildCache(
        info.guid,
        await registerBlob(filePath, cacheEtag, file.digests),
      );
    }
    this.uploads.push(artifact);
    return artifact;
  }

  /** The last droplet uploaded for `guid`. */
  droplet(guid: string): UploadedArtifact | undefined {
    return this.uploads.findLast((u) => u.kind === "droplet" && u.guid === guid);
  }
}

function cacheEtag(digests: Digests): string {
  return `"cache-${digests.sha256.slice(0, 20)}"`;
}
