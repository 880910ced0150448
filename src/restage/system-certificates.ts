/**
 * The trusted system certificates a cell bind-mounts read-only at the task's
 * `trusted_system_certificates_path`, with `CF_SYSTEM_CERT_PATH` set to that path (executor
 * depot/containerstore/storenode.go; only when the cell has certificates and the request names
 * a path). restager takes them from a host directory and brings them in the way it brings
 * cached dependencies (cached-dependencies.ts): a tar of the files becomes a content-named
 * read-only volume, shared by every restage with the same certificates, or is copied into the
 * container when the engine refuses volumes.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidInputError } from "../errors.js";
import type { Archives } from "../archive/ports.js";
import type { Container, ContainerRuntime, VolumeMount } from "../container/container.js";
import type { TaskLog } from "../diego/task-log.js";
import { errorMessage } from "../diego/steps/step-errors.js";
import { copyInDependencies } from "./copy-in-dependencies.js";
import type { FetchedDependency } from "./dependency-downloads.js";
import { provideVolumes } from "./dependency-volumes.js";
import { VolumeClaims, type VolumeTiming } from "./volume-claims.js";
import { isCancellation } from "../core/cancellation.js";
import type { Logger } from "../core/events.js";
import type { EnvVar } from "../core/env-var.js";

export interface CertificateFile {
  name: string;
  content: Buffer;
}

/** OpenSSL's hash links (`3513523f.0`) repeat the certificates next to them. */
const hashLink = /^[0-9a-f]{8}\.\d+$/;

/**
 * The regular files of `dir` (symbolic links followed, hidden files, subdirectories and
 * OpenSSL hash links left out), by name. A missing or unreadable directory is an
 * InvalidInputError naming it.
 */
export async function readCertificateDir(dir: string): Promise<CertificateFile[]> {
  const names = await certificateNames(dir);
  // Synchronous reads: a host's directory holds ~150 small files, and two thread-pool round
  // trips per file cost 50-60 ms on a busy machine where the reads themselves take a few.
  const files: CertificateFile[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info?.isFile()) continue;
    files.push({ name, content: readFileSync(path) });
  }
  return files;
}

/** Certificates being read: their names at once, their contents once every read is done. */
export interface PendingCertificates {
  /** The candidates (hidden files and hash links left out); some may turn out not to be files. */
  readonly names: readonly string[];
  /** The regular files among them, by name, as readCertificateDir gives them. */
  readonly files: Promise<CertificateFile[]>;
}

/**
 * readCertificateDir in the background: the directory is listed now, its files are read in
 * parallel off this thread, for a caller that needs them only later (`launch`: once its
 * containers run). A failed read rejects `files`, for whoever awaits it.
 */
export async function readCertificateDirLater(dir: string): Promise<PendingCertificates> {
  const names = await certificateNames(dir);
  const read = async (name: string): Promise<CertificateFile | undefined> => {
    try {
      return { name, content: await readFile(join(dir, name)) };
    } catch (cause) {
      // What the synchronous reader skips: a directory, a dangling link.
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === "EISDIR" || code === "ENOENT") return undefined;
      throw unreadable(dir, cause);
    }
  };
  const files = Promise.all(names.map(read)).then((all) =>
    all.filter((file) => file !== undefined),
  );
  files.catch(() => undefined); // rejected for its awaiters, not left unhandled
  return { names, files };
}

/** `dir`'s names, sorted, without hidden files and OpenSSL's hash links. */
async function certificateNames(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (cause) {
    throw unreadable(dir, cause);
  }
  return names.filter((name) => !name.startsWith(".") && !hashLink.test(name));
}

function unreadable(dir: string, cause: unknown): InvalidInputError {
  return new InvalidInputError(`Cannot read the trusted certificates directory ${dir}`, [], {
    cause,
    hint: "Pass a readable directory of PEM files with --trusted-certs DIR",
  });
}

/** `CF_SYSTEM_CERT_PATH`, as the executor adds it to the container's env. */
export function systemCertificatesEnv(path: string): EnvVar[] {
  return [{ name: "CF_SYSTEM_CERT_PATH", value: path }];
}

/**
 * The certificates as a dependency whose "download" is a tar on the host: files owned by root,
 * mode 0644, in a 0755 directory, like the cell's host directory. The volume is named after
 * the tar's SHA-256. release() removes the tar.
 */
export async function certificatesAsDependency(
  files: readonly CertificateFile[],
  target: string,
  using: { log: FetchedDependency["log"]; archives: Archives },
): Promise<FetchedDependency> {
  const { log } = using;
  const tar = using.archives.smallFilesTar([
    ...files.map((file) => ({
      path: file.name,
      content: file.content,
      mode: 0o644,
      uid: 0,
      gid: 0,
    })),
  ]);
  const dir = await mkdtemp(join(tmpdir(), "restager-certs-"));
  const path = join(dir, "certificates.tar");
  await writeFile(path, tar);
  const sha256Hex = createHash("sha256").update(tar).digest("hex");
  return {
    dependency: {
      name: "",
      from: "",
      to: target,
      cacheKey: "restager-trusted-system-certificates",
      logSource: "",
    },
    file: {
      path,
      sizeBytes: tar.length,
      fromCache: false,
      sha256Hex,
      release: () => rm(dir, { recursive: true, force: true }),
    },
    sha256Hex,
    log,
  };
}

export interface SystemCertificatesContext {
  runtime: ContainerRuntime;
  archives: Archives;
  logger: Logger;
  taskLog: TaskLog;
  /** The stack image (the fill container runs nothing). */
  image: string;
  /** Labels of the fill container. */
  fillLabels: Record<string, string>;
  /** Unique to this restage: marks the volumes it fills. */
  token: string;
  timing: VolumeTiming;
}

/** The certificates, with their volume when the engine gave one. */
export class SystemCertificates {
  private constructor(
    private readonly fetched: FetchedDependency,
    private volume: string | undefined,
    private readonly ctx: SystemCertificatesContext,
  ) {}

  /** Makes the volume ready (filled once per set of certificates, then reused). */
  static async prepare(
    certificates: { files: readonly CertificateFile[]; target: string },
    ctx: SystemCertificatesContext,
    signal: AbortSignal,
  ): Promise<SystemCertificates> {
    const { files, target } = certificates;
    const fetched = await certificatesAsDependency(files, target, {
      log: ctx.taskLog,
      archives: ctx.archives,
    });
    const claims = new VolumeClaims(ctx.runtime, ctx.token, ctx.timing);
    try {
      const { pollMs, maxWaitMs } = ctx.timing;
      const volumeCtx = { ...ctx, labels: ctx.fillLabels, claims, pollMs, maxWaitMs };
      const provided = await provideVolumes([fetched], volumeCtx, signal);
      return new SystemCertificates(fetched, provided.ready.get(fetched), ctx);
    } catch (error) {
      if (signal.aborted || isCancellation(error)) {
        await fetched.file.release();
        throw error;
      }
      ctx.logger.debug("certificate-volume-unavailable", { error: errorMessage(error) });
      return new SystemCertificates(fetched, undefined, ctx);
    }
  }

  get mounts(): VolumeMount[] {
    const to = this.fetched.dependency.to;
    return this.volume ? [{ name: this.volume, target: to, readOnly: true }] : [];
  }

  dropVolume(): void {
    this.volume = undefined;
  }

  /** Copies the certificates in when they have no volume. */
  async finish(container: Container, signal: AbortSignal): Promise<void> {
    if (this.volume !== undefined) return;
    const { archives, logger } = this.ctx;
    await copyInDependencies([this.fetched], { container, archives, logger }, signal);
  }

  release(): Promise<void> {
    return this.fetched.file.release();
  }
}
