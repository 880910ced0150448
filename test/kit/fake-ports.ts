import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { spoolFile } from "../../src/archive/spool-first-entry.js";
import { combinedTar } from "../../src/archive/combined-tar.js";
import type { Archives, Owner, SmallFile, SpooledFile, TarPart } from "../../src/archive/ports.js";
import { smallFilesTar } from "../../src/archive/small-files-tar.js";
import type {
  DownloadedFile,
  DownloadRequest,
  Downloader,
  UploadRequest,
  UploadResult,
  Uploader,
} from "../../src/http/ports.js";
import type { StepContext } from "../../src/diego/steps/step-context.js";
import { FakeContainer, packTar, readTar, type TarEntry } from "./fake-container.js";
import { RecordingTaskLog } from "./recording-task-log.js";

/**
 * Scriptable fakes of the HTTP and archive ports. They work on real temporary files, so the
 * steps' file handling (release in finally, reading spooled bodies) is exercised.
 */

export interface DownloadScript {
  /** Raw body; defaults to a tar of `entries`. */
  body?: Buffer;
  entries?: TarEntry[];
  fromCache?: boolean;
  error?: Error;
  /** Stays pending until the request's signal aborts, then rejects with an AbortError. */
  hang?: boolean;
}

export class FakeDownloader implements Downloader {
  readonly requests: DownloadRequest[] = [];
  handedOut = 0;
  released = 0;
  private readonly scripts = new Map<string, DownloadScript>();

  serve(url: string, script: DownloadScript): void {
    this.scripts.set(url, script);
  }

  /** Files handed out and not released yet. */
  get unreleased(): number {
    return this.handedOut - this.released;
  }

  async download(request: DownloadRequest): Promise<DownloadedFile> {
    this.requests.push(request);
    const script = this.scripts.get(request.url);
    if (!script) throw new Error("Download failed: Status code 404");
    if (script.hang) await untilAborted(request.signal);
    if (script.error) throw script.error;
    const body = script.body ?? packTar(script.entries ?? []);
    const dir = await mkdtemp(join(tmpdir(), "fake-download-"));
    const path = join(dir, "body");
    await writeFile(path, body);
    request.onProgress?.(body.length, body.length);
    this.handedOut++;
    return {
      path,
      sizeBytes: body.length,
      fromCache: script.fromCache ?? false,
      release: async () => {
        this.released++;
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}

export interface RecordedUpload {
  url: string;
  body: Buffer;
  sizeBytes: number;
  md5Base64: string;
  sha256Base64: string;
}

export class FakeUploader implements Uploader {
  readonly uploads: RecordedUpload[] = [];
  /** Thrown by the next upload (after its body was read), then cleared. */
  failNext: Error | undefined;
  /** Uploads stay pending until their signal aborts. */
  hang = false;

  async upload(request: UploadRequest): Promise<UploadResult> {
    const chunks: Buffer[] = [];
    for await (const chunk of request.body()) chunks.push(chunk as Buffer);
    const { url, sizeBytes, md5Base64, sha256Base64 } = request;
    this.uploads.push({ url, body: Buffer.concat(chunks), sizeBytes, md5Base64, sha256Base64 });
    if (this.hang) await untilAborted(request.signal);
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    request.onProgress?.(sizeBytes);
    return { status: 201, attempts: 1 };
  }
}

export class FakeArchives implements Archives {
  readonly conversions: { filePath: string; owner: Owner }[] = [];
  spooled = 0;
  released = 0;

  /** Re-owns every entry of a tar file; anything else fails like Diego's TarTransform. */
  toTar(filePath: string, owner: Owner): Readable {
    this.conversions.push({ filePath, owner });
    async function* convert() {
      const entries = await readTar(await readFile(filePath)).catch(() => {
        throw new Error("unknown archive format");
      });
      yield packTar(entries.map((entry) => ({ ...entry, uid: owner.uid, gid: owner.gid })));
    }
    return Readable.from(convert());
  }

  /** The real combination, over this fake's conversions. */
  combinedTar(parts: readonly TarPart[]): Readable {
    return combinedTar(this, parts);
  }

  /** The real tar writer: its bytes are what the container gets. */
  smallFilesTar(files: readonly SmallFile[], mtime?: Date): Buffer {
    return smallFilesTar(files, mtime);
  }

  /** The real spool: a file's bytes into a temporary file, hashed. */
  spoolFile(
    bytes: Readable,
    file: { name: string; sizeBytes: number },
    options: { signal?: AbortSignal } = {},
  ): Promise<SpooledFile> {
    this.spooled++;
    return spoolFile(bytes, file, options);
  }

  /** Keeps only the first entry, which must be a regular file (Diego's upload semantics). */
  async spoolFirstEntry(tar: Readable, options: { signal?: AbortSignal } = {}) {
    options.signal?.throwIfAborted();
    const [first] = await readTar(tar);
    if (!first) throw new Error("no entries in tar stream");
    if (first.type !== "File") throw new Error(`first entry ${first.path} is not a regular file`);
    const content = first.content ?? Buffer.alloc(0);
    const dir = await mkdtemp(join(tmpdir(), "fake-spool-"));
    const path = join(dir, "entry");
    await writeFile(path, content);
    this.spooled++;
    const spool: SpooledFile = {
      path,
      sizeBytes: content.length,
      md5Base64: createHash("md5").update(content).digest("base64"),
      sha256Base64: createHash("sha256").update(content).digest("base64"),
      entryName: first.path,
      release: async () => {
        this.released++;
        await rm(dir, { recursive: true, force: true });
      },
    };
    return spool;
  }
}

function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const abort = () => reject(new DOMException("This operation was aborted", "AbortError"));
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort, { once: true });
  });
}

export interface FakeStepWorld {
  ctx: StepContext;
  container: FakeContainer;
  log: RecordingTaskLog;
  downloader: FakeDownloader;
  uploader: FakeUploader;
  archives: FakeArchives;
  /** Diagnostics the steps logged (Logger.debug). */
  debug: { event: string; data: Record<string, unknown> | undefined }[];
}

/**
 * A StepContext wired to fresh fakes (Diego's defaults: 10 s grace period, 1 s exit timeout);
 * `overrides` replaces any field, e.g. `extraEnv` or `onUploadSettled`.
 */
export function fakeStepWorld(overrides: Partial<StepContext> = {}): FakeStepWorld {
  const container = new FakeContainer();
  const log = new RecordingTaskLog("STG");
  const downloader = new FakeDownloader();
  const uploader = new FakeUploader();
  const archives = new FakeArchives();
  const debug: FakeStepWorld["debug"] = [];
  const ctx: StepContext = {
    container,
    taskLog: log,
    logger: { debug: (event, data) => debug.push({ event, data }) },
    downloader,
    uploader,
    archives,
    settings: { gracePeriodMs: 10_000, exitTimeoutMs: 1_000 },
    ...overrides,
  };
  return { ctx, container, log, downloader, uploader, archives, debug };
}
